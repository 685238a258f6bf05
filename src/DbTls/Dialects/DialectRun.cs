using System.Collections.Immutable;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Dialects;

/// <summary>
/// The steps every dialect shares: a string the dialect cannot read is invalid input (exit 2) shown
/// redacted; a check that throws instead of reporting still keeps the findings its settings justified.
/// A dialect only says how to parse, which check to run, and what the spec's target and findings are.
/// </summary>
internal static class DialectRun
{
    public static async Task<CheckReport> RunAsync<TSpec>(
        IConnectionDialect dialect,
        string connectionString,
        Func<TSpec> parse,
        Func<TSpec, CancellationToken, Task<CheckReport>> check,
        Func<TSpec, TargetReport> targetOf,
        Func<TSpec, ImmutableArray<Finding>> findingsOf,
        CancellationToken cancellationToken)
    {
        TSpec spec;
        try
        {
            spec = parse();
        }
        catch (DbTlsException e)
        {
            return FailureReports.InvalidInput(e.ToFinding(), FailureReports.BareTarget(dialect.Name, dialect.Redact(connectionString)));
        }

        try
        {
            return await check(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (DbTlsException e)
        {
            // The checks report their own failures; this only keeps what the spec says when one threw instead.
            return FailureReports.Create(e.ToFinding(), targetOf(spec), findingsOf(spec));
        }
    }

    /// <summary>The source line of an override, e.g. <c>user: --user</c>.</summary>
    public static string Source(string setting, string origin) => $"{setting}: {origin}";

    /// <summary>
    /// The user and password given beside the string win over it, and the spec's sources say where they came
    /// from; each dialect only says how its spec takes a user and a password with their source line.
    /// </summary>
    public static TSpec ApplyOverrides<TSpec>(
        TSpec spec,
        CheckEnvironment environment,
        Func<TSpec, string, string, TSpec> withUser,
        Func<TSpec, Secret, string, TSpec> withPassword)
    {
        if (environment.User is { } user)
        {
            spec = withUser(spec, user, Source("user", environment.UserSource));
        }

        if (environment.Password is { } password)
        {
            spec = withPassword(spec, password, Source("password", environment.PasswordSource));
        }

        return spec;
    }
}
