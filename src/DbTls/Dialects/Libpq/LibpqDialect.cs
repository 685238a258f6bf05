using DbTls.Checks;
using DbTls.Reports;

namespace DbTls.Dialects.Libpq;

/// <summary>PostgreSQL through libpq's rules: keyword/value conninfo or a postgresql:// URI.</summary>
internal sealed partial class LibpqDialect : IConnectionDialect
{
    public string Name => "libpq";

    public DialectConfidence Recognise(ConnectionStringShape shape)
    {
        if (shape.StartsWith("postgresql://") || shape.StartsWith("postgres://"))
        {
            return DialectConfidence.Scheme;
        }

        // libpq accepts an empty conninfo: every setting then comes from PG* variables and defaults.
        if (shape.Text.Length == 0)
        {
            return DialectConfidence.Fallback;
        }

        if (shape.FirstKey is not { } key || shape.SemicolonEndsFirstValue)
        {
            return DialectConfidence.None;
        }

        // White space after the first value; "Host=db port=5" still reads as libpq (which then names the bad keyword).
        return LibpqKeywords.TryGet(key.ToLowerInvariant(), out _) || key.Equals("username", StringComparison.OrdinalIgnoreCase)
            ? DialectConfidence.KeywordAndSeparator
            : DialectConfidence.Fallback;
    }

    public string Redact(string connectionString) => LibpqConnectionString.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        DialectRun.RunAsync(
            this,
            connectionString,
            () => ApplyOverrides(LibpqConnectionString.Parse(connectionString, EnvironmentOf(environment)), environment),
            (spec, ct) => PostgresCheck.RunAsync(spec, options, ct),
            PostgresCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);

    /// <summary>libpq's view of the environment.</summary>
    internal static LibpqEnvironment EnvironmentOf(CheckEnvironment environment) =>
        new(environment.VariableMap, environment.Home, environment.OsUserName ?? Environment.UserName);

    /// <summary>The user and password given beside the string win over it; the sources say so.</summary>
    internal static PostgresConnectionSpec ApplyOverrides(PostgresConnectionSpec spec, CheckEnvironment environment) =>
        DialectRun.ApplyOverrides(
            spec,
            environment,
            (s, user, source) => s with { User = user, Sources = s.Sources.Add(source) },
            (s, password, source) => s with { Password = password, Sources = s.Sources.Add(source) });
}
