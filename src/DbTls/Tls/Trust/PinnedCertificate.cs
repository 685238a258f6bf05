using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tls.Trust;

/// <summary>
/// The certificate a pin file holds (SqlClient <c>ServerCertificate</c>, JDBC <c>serverCertificate</c>), or why it
/// could not be loaded. Loaded with <see cref="X509CertificateLoader.LoadCertificateFromFile"/>, the call SqlClient
/// itself makes on .NET 9 and later: one certificate, PEM or DER; anything else (a missing file, PKCS#12, a key)
/// does not load. JDBC's CertificateFactory accepts the same two encodings.
/// </summary>
internal sealed class PinnedCertificate
{
    private PinnedCertificate(string path, X509Certificate2? certificate, string? loadError)
    {
        Path = path;
        Certificate = certificate;
        LoadError = loadError;
    }

    public string Path { get; }

    /// <summary>The pinned certificate; null when the file could not be loaded (see <see cref="LoadError"/>).</summary>
    public X509Certificate2? Certificate { get; }

    public string? LoadError { get; }

    /// <summary>Never throws: an unloadable file is a result, because SqlClient ignores it and JDBC fails the handshake on it.</summary>
    public static PinnedCertificate Load(string path)
    {
        try
        {
            return new PinnedCertificate(path, X509CertificateLoader.LoadCertificateFromFile(path), null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new PinnedCertificate(path, null, ex.Message);
        }
    }

    /// <summary>Byte equality of the DER encodings, the comparison both drivers make.</summary>
    public bool Matches(X509Certificate2 leaf) =>
        Certificate is not null && leaf.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span);

    /// <summary>SHA-256 over the DER encoding, colon-separated, as <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        "SHA-256 " + Convert.ToHexString(SHA256.HashData(certificate.RawDataMemory.Span)).Chunk(2).Select(p => new string(p)).Aggregate((a, b) => a + ":" + b);
}
