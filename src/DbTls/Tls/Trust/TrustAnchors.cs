using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tls.Trust;

/// <summary>The roots a chain may end at: the system store, or exactly the given certificates.</summary>
internal sealed class TrustAnchors
{
    public TrustAnchors(bool useSystem, X509Certificate2Collection certificates, string description, IReadOnlyList<string> notes)
    {
        UseSystem = useSystem;
        Certificates = certificates;
        Description = description;
        Notes = notes;
    }

    public bool UseSystem { get; }

    /// <summary>The custom anchors (empty for the system store).</summary>
    public X509Certificate2Collection Certificates { get; }

    /// <summary>e.g. <c>file /etc/ssl/root.pem (2 certificates)</c>.</summary>
    public string Description { get; }

    /// <summary>Things worth telling about how the source was read (files skipped in a directory).</summary>
    public IReadOnlyList<string> Notes { get; }

    public bool Contains(X509Certificate2 certificate) =>
        Certificates.Any(c => c.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));
}
