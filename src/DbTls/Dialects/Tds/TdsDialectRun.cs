using DbTls.Checks;
using DbTls.Reports;

namespace DbTls.Dialects.Tds;

/// <summary>What the three SQL Server dialects share once their string is parsed: the overrides and the TDS check.</summary>
internal static class TdsDialectRun
{
    public static Task<CheckReport> RunAsync(
        IConnectionDialect dialect,
        string connectionString,
        Func<TdsConnectionSpec> parse,
        CheckEnvironment environment,
        CheckOptions options,
        CancellationToken cancellationToken) =>
        DialectRun.RunAsync(
            dialect,
            connectionString,
            () => ApplyOverrides(parse(), environment),
            (spec, ct) => TdsCheck.RunAsync(spec, options, ct),
            TdsCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);

    /// <summary>The user and password given beside the string win over it; for freetds: they are the only source of credentials.</summary>
    internal static TdsConnectionSpec ApplyOverrides(TdsConnectionSpec spec, CheckEnvironment environment) =>
        DialectRun.ApplyOverrides(
            spec,
            environment,
            (s, user, source) => s with { User = user, Sources = s.Sources.Add(source) },
            (s, password, source) => s with { Password = password, Sources = s.Sources.Add(source) });
}
