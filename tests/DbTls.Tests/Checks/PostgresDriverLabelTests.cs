using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects;

namespace DbTls.Tests.Checks;

/// <summary>
/// The PostgreSQL drivers share one check; the report still names the driver the string was written for, its
/// host-name rules and its own spelling of the TLS settings, all taken from the spec the dialect built.
/// Nothing listens on port 1, so each run ends at the TCP connect with the spec's part of the report filled in.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresDriverLabelTests
{
    [Theory]
    [InlineData("libpq", "host=127.0.0.1 port=1 sslmode=require connect_timeout=2", "libpq", "sslmode=require")]
    [InlineData("npgsql", "Host=127.0.0.1;Port=1;SSL Mode=Require;Timeout=2", "rfc6125", "SSL Mode=Require")]
    [InlineData("pgjdbc", "jdbc:postgresql://127.0.0.1:1/db?sslmode=require&connectTimeout=2", "pgjdbc", "sslmode=require")]
    public async Task The_report_names_the_driver_of_the_string(string dialect, string connectionString, string hostNameRules, string summary)
    {
        var report = await ConnectionCheck.RunAsync(
            DialectRegistry.Default.Find(dialect)!,
            connectionString,
            new CheckEnvironment(new Dictionary<string, string>()),
            new CheckOptions { Timeout = TimeSpan.FromSeconds(10) });

        Assert.Equal(ExitCodes.Network, report.ExitCode);
        Assert.Equal(dialect, report.Target.Dialect);
        Assert.Equal(hostNameRules, report.Policy!.HostNameRules);
        Assert.Equal(summary, report.Policy.Summary);
    }
}
