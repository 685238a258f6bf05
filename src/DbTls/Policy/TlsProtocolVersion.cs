namespace DbTls.Policy;

/// <summary>TLS protocol versions in order, so that range checks are plain comparisons.</summary>
public enum TlsProtocolVersion
{
    Tls10 = 10,
    Tls11 = 11,
    Tls12 = 12,
    Tls13 = 13,
}

public static class TlsProtocolVersionNames
{
    /// <summary>The name OpenSSL and the drivers print, e.g. <c>TLSv1.2</c>.</summary>
    public static string ToDisplay(this TlsProtocolVersion version) => version switch
    {
        TlsProtocolVersion.Tls10 => "TLSv1",
        TlsProtocolVersion.Tls11 => "TLSv1.1",
        TlsProtocolVersion.Tls12 => "TLSv1.2",
        TlsProtocolVersion.Tls13 => "TLSv1.3",
        _ => version.ToString(),
    };
}
