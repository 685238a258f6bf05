using System.Collections.Immutable;
using DbTls.Checks;
using DbTls.Cli.Security;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;

namespace DbTls.Cli.Dialects;

/// <summary>PostgreSQL through libpq's rules: parse, apply --user / DBTLS_PASSWORD, check.</summary>
internal sealed class LibpqRunner : IDialectRunner
{
    public async Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        PostgresConnectionSpec spec;
        try
        {
            spec = LibpqConnectionString.Parse(request.ConnectionString, CreateEnvironment(request.Host));
        }
        catch (DbTlsException e)
        {
            var redacted = ConnectionStringRedactor.Redact(request.ConnectionString, request.Dialect).Text;
            return FailureReports.InvalidInput(e.ToFinding(), FailureReports.BareTarget(request.Dialect, redacted));
        }

        spec = ApplyOverrides(spec, request.Overrides);
        try
        {
            return await PostgresCheck.RunAsync(spec, request.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (DbTlsException e)
        {
            // The check reports its own failures; this only keeps what the spec says when it threw instead.
            var report = FailureReports.Create(e.ToFinding(), PostgresCheck.TargetOf(spec));
            report.Findings.InsertRange(0, spec.Findings.Select(FindingReports.From));
            return report;
        }
    }

    /// <summary>libpq's view of the environment, from the host rather than the process so tests control it.</summary>
    internal static LibpqEnvironment CreateEnvironment(CliHost host)
    {
        var variables = host.Environment.ToImmutableDictionary(StringComparer.Ordinal);
        return new LibpqEnvironment(variables, host.GetVariable("HOME"), host.OsUserName ?? Environment.UserName);
    }

    internal static PostgresConnectionSpec ApplyOverrides(PostgresConnectionSpec spec, CheckOverrides overrides)
    {
        if (overrides.User is { } user)
        {
            spec = spec with { User = user, Sources = spec.Sources.Add("user: --user") };
        }

        if (overrides.Password is { } password)
        {
            spec = spec with { Password = password, Sources = spec.Sources.Add("password: DBTLS_PASSWORD") };
        }

        return spec;
    }
}
