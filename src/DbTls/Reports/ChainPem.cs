using System.Security.Cryptography;
using System.Text;

namespace DbTls.Reports;

/// <summary>
/// The chain the server presented, as PEM: certificates only, in the order they came on the wire (leaf first). A
/// report holds no private key, so none can be written; what the user pins or installs is exactly what was seen.
/// </summary>
public static class ChainPem
{
    /// <summary>The PEM text, or null when the report holds no certificate (no TLS, or the handshake ended before one).</summary>
    public static string? Of(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var certificates = report.Tls?.Certificates.Where(c => c.Der is { Length: > 0 }).ToList() ?? [];
        if (certificates.Count == 0)
        {
            return null;
        }

        var pem = new StringBuilder();
        foreach (var certificate in certificates)
        {
            pem.Append("# ").Append(certificate.Subject).Append('\n')
                .Append(PemEncoding.WriteString("CERTIFICATE", certificate.Der)).Append('\n');
        }

        return pem.ToString();
    }
}
