using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Tls.Trust;

/// <summary>Reads certificates from a file the way OpenSSL-based drivers accept them: PEM (any number) or one DER certificate.</summary>
internal static class CertificateFile
{
    /// <summary>Larger files are not certificate bundles; refuse them instead of reading them whole.</summary>
    private const long MaxFileSize = 16 * 1024 * 1024;

    public static byte[] ReadBounded(string path, string what)
    {
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"{what} \"{path}\" does not exist");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not open {what} \"{path}\": {ex.Message}", inner: ex);
        }

        if (info.Length > MaxFileSize)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"{what} \"{path}\" is too large ({info.Length} bytes)");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not read {what} \"{path}\": {ex.Message}", inner: ex);
        }
    }

    /// <summary>All certificates in PEM text, or the single DER certificate when the bytes are not PEM. Empty when nothing parses.</summary>
    public static List<X509Certificate2> Parse(byte[] bytes, out string? error)
    {
        error = null;
        var result = new List<X509Certificate2>();
        if (LooksLikePem(bytes))
        {
            foreach (var (label, der) in PemBlocks(Encoding.ASCII.GetString(bytes)))
            {
                if (label is "CERTIFICATE" or "X509 CERTIFICATE" or "TRUSTED CERTIFICATE")
                {
                    // A TRUSTED CERTIFICATE carries OpenSSL trust settings after the certificate; only the certificate is used.
                    if (TryLoad(FirstElement(der), out var cert, out var why))
                    {
                        result.Add(cert);
                    }
                    else
                    {
                        error ??= why;
                    }
                }
            }

            return result;
        }

        if (TryLoad(bytes, out var single, out var reason))
        {
            result.Add(single);
        }
        else
        {
            error = reason;
        }

        return result;
    }

    public static bool LooksLikePem(ReadOnlySpan<byte> bytes) => bytes.IndexOf("-----BEGIN "u8) >= 0;

    /// <summary>Every RFC 7468 block in the text, in order, with its label and decoded bytes.</summary>
    public static IEnumerable<(string Label, byte[] Data)> PemBlocks(string text)
    {
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var data = new byte[fields.DecodedDataLength];
            if (Convert.TryFromBase64Chars(rest.Span[fields.Base64Data], data, out var written))
            {
                yield return (label, data[..written]);
            }

            rest = rest[fields.Location.End..];
        }
    }

    private static byte[] FirstElement(byte[] der)
    {
        try
        {
            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out _, out _, out var consumed);
            return consumed == der.Length ? der : der[..consumed];
        }
        catch (AsnContentException)
        {
            return der;
        }
    }

    private static bool TryLoad(byte[] der, out X509Certificate2 certificate, out string? error)
    {
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
            error = null;
            return true;
        }
        catch (CryptographicException ex)
        {
            certificate = null!;
            error = ex.Message;
            return false;
        }
    }
}
