namespace DbTls.Policy;

/// <summary>Where trusted root certificates come from.</summary>
public abstract record TrustSource
{
    private TrustSource() { }

    /// <summary>The operating system's trust store (libpq <c>sslrootcert=system</c>, FreeTDS <c>ca file = system</c>).</summary>
    public sealed record SystemStore : TrustSource
    {
        public override string Describe() => "system trust store";
    }

    /// <summary>A file of one or more PEM (or a single DER) certificates.</summary>
    public sealed record PemFile(string Path) : TrustSource
    {
        public override string Describe() => $"file {Path}";
    }

    /// <summary>A directory of PEM certificates (OpenSSL hashed-directory style or plain files).</summary>
    public sealed record PemDirectory(string Path) : TrustSource
    {
        public override string Describe() => $"directory {Path}";
    }

    /// <summary>A PKCS#12 store (JDBC <c>trustStore</c>); the password, when given, checks the store's integrity.</summary>
    public sealed record Pkcs12Store(string Path, Secret? Password) : TrustSource
    {
        public override string Describe() => $"PKCS#12 store {Path}";
    }

    public static TrustSource System { get; } = new SystemStore();

    public abstract string Describe();
}
