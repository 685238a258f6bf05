using System.Collections.Immutable;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;

namespace DbTls.Cli.Dialects;

/// <summary>PostgreSQL through libpq's rules: parse, apply --user / DBTLS_PASSWORD, check.</summary>
internal sealed class LibpqRunner : IDialectRunner
{
    public Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken) =>
        DialectCheck.RunAsync(
            request,
            r => ApplyOverrides(LibpqConnectionString.Parse(r.ConnectionString, CreateEnvironment(r.Host)), r.Overrides),
            (spec, ct) => PostgresCheck.RunAsync(spec, request.Options, ct),
            PostgresCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);

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
