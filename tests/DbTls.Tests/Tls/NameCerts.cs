using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DbTls.Tests.Tls;

/// <summary>
/// Self-signed certificates with hand-built subjectAltName extensions (raw bytes, so embedded NULs
/// and malformed IP lengths can be tested), for host-name matcher unit tests.
/// </summary>
internal static class NameCerts
{
    /// <summary>A SAN entry: "DNS:name", "IP:hex bytes", or "EMAIL:x".</summary>
    public static X509Certificate2 Create(string? commonName, params string[] sans)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = commonName is null ? new X500DistinguishedName("O=dbtls tests") : BuildName(commonName);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (sans.Length > 0)
        {
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", BuildSan(sans), critical: false));
        }

        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadCertificate(cert.RawData);
    }

    /// <summary>A certificate whose subject has several CNs, in this encoding (DER) order.</summary>
    public static X509Certificate2 CreateWithCommonNames(string[] commonNames, params string[] sans)
    {
        // X500DistinguishedNameBuilder encodes the last attribute added first.
        var builder = new X500DistinguishedNameBuilder();
        foreach (var cn in Enumerable.Reverse(commonNames))
        {
            builder.AddCommonName(cn);
        }

        builder.AddOrganizationName("dbtls tests");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(builder.Build(), key, HashAlgorithmName.SHA256);
        if (sans.Length > 0)
        {
            request.CertificateExtensions.Add(new X509Extension("2.5.29.17", BuildSan(sans), critical: false));
        }

        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadCertificate(cert.RawData);
    }

    /// <summary>A subject with O and a UTF8String CN that may contain any character, NUL included.</summary>
    private static X500DistinguishedName BuildName(string commonName)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("2.5.4.10");
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, "dbtls tests");
            }

            using (writer.PushSetOf())
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("2.5.4.3");
                // Written as raw TLV because AsnWriter refuses UTF8String content with a NUL in it.
                var content = Encoding.UTF8.GetBytes(commonName);
                if (content.Length > 127)
                {
                    throw new ArgumentException("common name too long for this helper", nameof(commonName));
                }

                writer.WriteEncodedValue([(byte)UniversalTagNumber.UTF8String, (byte)content.Length, .. content]);
            }
        }

        return new X500DistinguishedName(writer.Encode());
    }

    private static byte[] BuildSan(string[] sans)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var san in sans)
            {
                var colon = san.IndexOf(':', StringComparison.Ordinal);
                var kind = san[..colon];
                var value = san[(colon + 1)..];
                switch (kind)
                {
                    case "DNS":
                        writer.WriteOctetString(Encoding.UTF8.GetBytes(value), new Asn1Tag(TagClass.ContextSpecific, 2));
                        break;
                    case "IP":
                        writer.WriteOctetString(Convert.FromHexString(value), new Asn1Tag(TagClass.ContextSpecific, 7));
                        break;
                    case "EMAIL":
                        writer.WriteOctetString(Encoding.ASCII.GetBytes(value), new Asn1Tag(TagClass.ContextSpecific, 1));
                        break;
                    default:
                        throw new ArgumentException($"unknown SAN kind {kind}", nameof(sans));
                }
            }
        }

        return writer.Encode();
    }
}
