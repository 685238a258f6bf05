namespace DbTls.Scan;

/// <summary>How a scan reaches the point where the ClientHello goes.</summary>
public enum ScanProtocol
{
    /// <summary>TLS from the first byte (also MongoDB, whose TLS is implicit).</summary>
    Tls,

    /// <summary>PostgreSQL: SSLRequest, 'S', then TLS.</summary>
    Postgres,

    /// <summary>PostgreSQL 17+ direct TLS: TLS from the first byte with ALPN "postgresql".</summary>
    PostgresDirect,

    /// <summary>SQL Server TDS 7.x: PRELOGIN, then TLS wrapped in PRELOGIN packets.</summary>
    Tds,

    /// <summary>SQL Server TDS 8.0 strict: TLS from the first byte with ALPN "tds/8.0".</summary>
    TdsStrict,

    /// <summary>MongoDB: implicit TLS.</summary>
    Mongo,
}

public static class ScanProtocols
{
    public static string Name(ScanProtocol protocol) => protocol switch
    {
        ScanProtocol.Tls => "tls",
        ScanProtocol.Postgres => "postgres",
        ScanProtocol.PostgresDirect => "postgres-direct",
        ScanProtocol.Tds => "tds",
        ScanProtocol.TdsStrict => "tds-strict",
        ScanProtocol.Mongo => "mongodb",
        _ => "tls",
    };

    public static readonly string[] Names = ["postgres", "postgres-direct", "tds", "tds-strict", "mongodb", "tls"];

    public static bool TryParse(string? name, out ScanProtocol protocol)
    {
        foreach (var candidate in Enum.GetValues<ScanProtocol>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                protocol = candidate;
                return true;
            }
        }

        protocol = ScanProtocol.Tls;
        return false;
    }
}
