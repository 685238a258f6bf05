using DbTls.Checks;
using DbTls.Dialects.Tds;
using DbTls.Reports;

namespace DbTls.Dialects.FreeTds;

/// <summary>A server name from freetds.conf (<c>freetds:&lt;name&gt;</c>), checked the way FreeTDS (tsql) connects.</summary>
internal sealed partial class FreeTdsDialect : IConnectionDialect
{
    public string Name => "freetds";

    public DialectConfidence Recognise(ConnectionStringShape shape) =>
        shape.StartsWith(FreeTdsConnection.Prefix) ? DialectConfidence.Scheme : DialectConfidence.None;

    // "freetds:<name>" holds no secret: credentials come from --user and DBTLS_PASSWORD only.
    public string Redact(string connectionString) => connectionString;

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        TdsDialectRun.RunAsync(
            this,
            connectionString,
            () => FreeTdsConnection.Parse(connectionString, environment.User, EnvironmentOf(environment)),
            environment,
            options,
            cancellationToken);

    /// <summary>
    /// FreeTDS's view of the environment: FREETDSCONF, FREETDS, TDSVER, TDSPORT, TDSHOST and the home directory
    /// for ~/.config/freetds.conf and ~/.freetds.conf. DBTLS_PASSWORD is left out; it comes in as the password override.
    /// </summary>
    internal static FreeTdsEnvironment EnvironmentOf(CheckEnvironment environment)
    {
        var variables = environment.VariableMap.Remove(FreeTdsEnvironment.PasswordVariable);
        return new FreeTdsEnvironment(variables, environment.Home, FreeTdsEnvironment.DefaultSystemConfigFiles);
    }
}
