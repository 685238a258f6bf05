using System.Collections.Immutable;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;
using DbTls.Reports;

namespace DbTls.Cli.Dialects;

/// <summary>
/// SQL Server through one of its drivers' rules (SqlClient strings, JDBC URLs, freetds.conf entries):
/// parse, apply --user / DBTLS_PASSWORD, check.
/// </summary>
internal sealed class TdsRunner(ConnectionStringDialect dialect) : IDialectRunner
{
    public Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken) =>
        DialectCheck.RunAsync(
            request,
            r => ApplyOverrides(Parse(r), r.Overrides),
            (spec, ct) => TdsCheck.RunAsync(spec, request.Options, ct),
            TdsCheck.TargetOf,
            spec => spec.Findings,
            cancellationToken);

    private TdsConnectionSpec Parse(CheckRequest request) => dialect switch
    {
        ConnectionStringDialect.SqlClient => SqlClientConnectionString.Parse(request.ConnectionString),
        ConnectionStringDialect.Jdbc => JdbcConnectionString.Parse(request.ConnectionString),
        ConnectionStringDialect.FreeTds => FreeTdsConnection.Parse(request.ConnectionString, request.Overrides.User, CreateFreeTdsEnvironment(request.Host)),
        _ => throw new InvalidOperationException($"no SQL Server dialect {dialect}"),
    };

    /// <summary>
    /// FreeTDS's view of the environment, from the host rather than the process so tests control it:
    /// FREETDSCONF, FREETDS, TDSVER, TDSPORT, TDSHOST and the home directory for ~/.config/freetds.conf
    /// and ~/.freetds.conf. DBTLS_PASSWORD is left out here; it comes in with the other overrides.
    /// </summary>
    internal static FreeTdsEnvironment CreateFreeTdsEnvironment(CliHost host)
    {
        var variables = host.Environment
            .Where(v => v.Key != FreeTdsEnvironment.PasswordVariable)
            .ToImmutableDictionary(StringComparer.Ordinal);
        return new FreeTdsEnvironment(variables, host.GetVariable("HOME"), FreeTdsEnvironment.DefaultSystemConfigFiles);
    }

    /// <summary>--user and DBTLS_PASSWORD win over the string; for freetds: they are the only source of credentials.</summary>
    internal static TdsConnectionSpec ApplyOverrides(TdsConnectionSpec spec, CheckOverrides overrides)
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
