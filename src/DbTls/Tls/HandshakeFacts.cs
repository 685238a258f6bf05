using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Reports;
using DbTls.Tls.Verification;

namespace DbTls.Tls;

/// <summary>
/// What one TLS handshake established, in the engine's own types, as both engines (SslStream and BouncyCastle) and
/// the validator learn it; <see cref="HandshakeReport"/> turns it into the report's TLS section once, at the end. The
/// engine never writes the public JSON contract, so either can change without touching the other.
/// </summary>
internal sealed class HandshakeFacts
{
    /// <summary>The server name sent in SNI; null when none was sent.</summary>
    public string? Sni { get; set; }

    /// <summary>The negotiated version; <see cref="SslProtocols.None"/> until the handshake completed.</summary>
    public SslProtocols Protocol { get; set; }

    /// <summary>The negotiated suite; null until the handshake completed.</summary>
    public TlsCipherSuite? CipherSuite { get; set; }

    public string? Alpn { get; set; }

    public bool ClientCertificateSent { get; set; }

    /// <summary>Whether the server asked for a client certificate; null when the handshake ended before that was knowable.</summary>
    public bool? ClientCertificateRequested { get; set; }

    /// <summary>The chain exactly as the server presented it, leaf first.</summary>
    public IReadOnlyList<X509Certificate2> Presented { get; set; } = [];

    /// <summary>Every validation step in the order it ran, OCSP (which runs after the handshake) last.</summary>
    public List<StepResult> Steps { get; } = [];

    /// <summary>The OCSP status of the server certificate; null when the policy does not check OCSP.</summary>
    public OcspReport? Ocsp { get; set; }
}

/// <summary>The one mapping from <see cref="HandshakeFacts"/> to the report's TLS section (docs/json-report.md).</summary>
internal static class HandshakeReport
{
    public static TlsReport Of(HandshakeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new TlsReport
        {
            Protocol = facts.Protocol == SslProtocols.None ? null : TlsClient.ProtocolName(facts.Protocol),
            CipherSuite = facts.CipherSuite is { } suite ? CipherSuiteName(suite) : null,
            Alpn = facts.Alpn,
            Sni = facts.Sni,
            ClientCertificateSent = facts.ClientCertificateSent,
            ClientCertificateRequested = facts.ClientCertificateRequested,
            Certificates = [.. facts.Presented.Select(CertificateDescriber.Describe)],
            Validation = [.. facts.Steps.Select(s => s.ToReport())],
            Ocsp = facts.Ocsp,
        };
    }

    /// <summary>The IANA name, which is also the name of .NET's <see cref="TlsCipherSuite"/> member; a suite .NET does not name as hex.</summary>
    internal static string CipherSuiteName(TlsCipherSuite suite) =>
        Enum.IsDefined(suite) ? suite.ToString() : $"0x{(int)suite:X4}";
}
