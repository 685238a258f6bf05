using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Reports;
using DbTls.Tls.HostNames;

namespace DbTls.Tls;

/// <summary>Turns a certificate into its report form.</summary>
internal static class CertificateDescriber
{
    public static CertificateReport Describe(X509Certificate2 certificate)
    {
        var report = new CertificateReport
        {
            Subject = certificate.Subject,
            Issuer = certificate.Issuer,
            SerialNumber = certificate.SerialNumber,
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            SignatureAlgorithm = certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "",
            Sha256 = Convert.ToHexString(SHA256.HashData(certificate.RawDataMemory.Span)),
            Der = certificate.RawData,
            Key = DescribeKey(certificate),
            IsCertificateAuthority = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority),
        };

        // Raw SAN values, so a NUL or other odd byte is shown (escaped) rather than hidden or fatal.
        foreach (var san in CertificateNames.ReadSubjectAltNames(certificate))
        {
            if (san.Kind == SubjectAltNameKind.Dns)
            {
                report.DnsNames.Add(Printable(san.Value.Span));
            }
            else if (san.Kind == SubjectAltNameKind.IPAddress)
            {
                report.IpAddresses.Add(InetAddress.Format(san.Value.Span));
            }
        }

        return report;
    }

    private static string Printable(ReadOnlySpan<byte> value)
    {
        var text = Encoding.UTF8.GetString(value);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder();
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : c.ToString());
        }

        return sb.ToString();
    }

    private static string DescribeKey(X509Certificate2 certificate)
    {
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return string.Create(CultureInfo.InvariantCulture, $"RSA {rsa.KeySize}");
            }
        }

        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                return $"ECDSA {ecdsa.ExportParameters(false).Curve.Oid.FriendlyName ?? ecdsa.KeySize.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown";
    }
}
