using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tls.HostNames;

/// <summary>The kinds of subjectAltName entries host-name matching looks at.</summary>
internal enum SubjectAltNameKind
{
    Dns,
    IPAddress,
    Other,
}

/// <summary>One subjectAltName entry with its raw value (IA5 bytes for dNSName, address bytes for iPAddress).</summary>
internal sealed record SubjectAltName(SubjectAltNameKind Kind, ReadOnlyMemory<byte> Value);

/// <summary>
/// Reads subjectAltName entries and the subject CN as raw bytes, the way OpenSSL hands them to
/// libpq (no character-set conversion, embedded NULs preserved), so matchers can apply a driver's
/// exact rules. Malformed or duplicated SAN extensions read as "no SAN", as X509_get_ext_d2i does.
/// </summary>
internal static class CertificateNames
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string CommonNameOid = "2.5.4.3";

    public static IReadOnlyList<SubjectAltName> ReadSubjectAltNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extensions = certificate.Extensions.Where(e => e.Oid?.Value == SubjectAltNameOid).ToList();
        if (extensions.Count != 1)
        {
            return [];
        }

        try
        {
            var result = new List<SubjectAltName>();
            var outer = new AsnReader(extensions[0].RawData, AsnEncodingRules.DER);
            var names = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 2 && !tag.IsConstructed)
                {
                    result.Add(new SubjectAltName(SubjectAltNameKind.Dns, names.ReadOctetString(tag)));
                }
                else if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 7 && !tag.IsConstructed)
                {
                    result.Add(new SubjectAltName(SubjectAltNameKind.IPAddress, names.ReadOctetString(tag)));
                }
                else
                {
                    result.Add(new SubjectAltName(SubjectAltNameKind.Other, names.ReadEncodedValue()));
                }
            }

            return result;
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            return [];
        }
    }

    /// <summary>The content bytes of the first commonName attribute in encoding order, or null when there is none.</summary>
    public static byte[]? ReadFirstCommonName(X509Certificate2 certificate) => ReadCommonNames(certificate, firstOnly: true).FirstOrDefault();

    /// <summary>
    /// The content bytes of the last commonName attribute in encoding order (what a loop over
    /// X509_NAME_get_index_by_NID ends on), or null when there is none.
    /// </summary>
    public static byte[]? ReadLastCommonName(X509Certificate2 certificate) => ReadCommonNames(certificate, firstOnly: false).LastOrDefault();

    /// <summary>The content bytes of every commonName attribute in encoding order.</summary>
    public static IReadOnlyList<byte[]> ReadCommonNames(X509Certificate2 certificate) => ReadCommonNames(certificate, firstOnly: false);

    private static List<byte[]> ReadCommonNames(X509Certificate2 certificate, bool firstOnly)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var result = new List<byte[]>();
        try
        {
            var reader = new AsnReader(certificate.SubjectName.RawData, AsnEncodingRules.DER);
            var name = reader.ReadSequence();
            while (name.HasData)
            {
                var rdn = name.ReadSetOf(skipSortOrderValidation: true);
                while (rdn.HasData)
                {
                    var attribute = rdn.ReadSequence();
                    var type = attribute.ReadObjectIdentifier();
                    var encoded = attribute.ReadEncodedValue();
                    if (type == CommonNameOid)
                    {
                        AsnDecoder.ReadEncodedValue(encoded.Span, AsnEncodingRules.BER, out var offset, out var length, out _);
                        result.Add(encoded.Span.Slice(offset, length).ToArray());
                        if (firstOnly)
                        {
                            return result;
                        }
                    }
                }
            }
        }
        catch (AsnContentException)
        {
            return firstOnly ? [] : result;
        }

        return result;
    }
}
