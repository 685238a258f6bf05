using System.Collections.Immutable;

namespace DbTls.Dialects.Libpq;

/// <summary>The description the PostgreSQL dialects (libpq, Npgsql, pgjdbc) share once their string is parsed into a spec.</summary>
internal static class PostgresDescription
{
    public static ConnectionDescription Of(string dialect, PostgresConnectionSpec spec, string summary, IEnumerable<string> writtenKeywords) => new()
    {
        Dialect = dialect,
        Protocol = ConnectionProtocol.PostgreSql,
        RedactedConnectionString = spec.RedactedConnectionString,
        Hosts = spec.Host is { } host ? [host] : spec.HostAddress is { } address ? [address] : [],
        Port = spec.Port,
        User = spec.User,
        Database = spec.Database,
        HasPassword = spec.Password is not null,
        Password = spec.Password,
        Tls = spec.Tls,
        PolicySummary = summary,
        WrittenKeywords = [.. writtenKeywords.Select(k => k.ToLowerInvariant()).Distinct(StringComparer.Ordinal)],
        RepeatedKeywords = ConnectionDescription.Repeated(writtenKeywords),

        // Kept under libpq's keywords whatever the dialect, so that every PostgreSQL renderer finds them.
        Extra = ImmutableDictionary<string, string>.Empty
            .Add(LibpqKeywords.SslMode, spec.SslMode)
            .Add(LibpqKeywords.ChannelBinding, spec.ChannelBinding.ToString().ToLowerInvariant()),
        Sources = spec.Sources,
        Findings = spec.Findings,
    };
}
