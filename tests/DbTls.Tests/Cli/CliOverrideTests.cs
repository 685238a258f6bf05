using System.Collections.Immutable;
using DbTls.Cli.Dialects;
using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Tests.Cli;

public class CliOverrideTests
{
    [Fact]
    public async Task User_password_and_timeout_reach_the_dialect_runner()
    {
        var runner = FakeRunner.Returning(SampleReports.Full());

        await CliRun.RunAsync(
            ["check", "host=db user=bob password=fromstring", "--user", "carol", "--timeout", "2.5"],
            new Dictionary<string, string> { ["DBTLS_PASSWORD"] = "fromenv" },
            h => h with { Runners = h.Runners.With(ConnectionStringDialect.Libpq, runner) });

        var request = runner.Request!;
        Assert.Equal(ConnectionStringDialect.Libpq, request.Dialect);
        Assert.Equal("host=db user=bob password=fromstring", request.ConnectionString);
        Assert.Equal("carol", request.Overrides.User);
        Assert.Equal("fromenv", request.Overrides.Password!.Reveal());
        Assert.Equal(TimeSpan.FromSeconds(2.5), request.Options.Timeout);
    }

    [Fact]
    public async Task Without_overrides_nothing_is_overridden()
    {
        var runner = FakeRunner.Returning(SampleReports.Full());

        await CliRun.RunAsync(
            ["check", "host=db"],
            new Dictionary<string, string> { ["DBTLS_PASSWORD"] = "" },
            h => h with { Runners = h.Runners.With(ConnectionStringDialect.Libpq, runner) });

        Assert.Null(runner.Request!.Overrides.User);
        Assert.Null(runner.Request.Overrides.Password);
        Assert.Null(runner.Request.Options.Timeout);
    }

    [Fact]
    public void Overrides_replace_user_and_password_in_the_libpq_spec_and_say_so()
    {
        var spec = Spec() with { Password = new Secret("fromstring") };

        var result = LibpqRunner.ApplyOverrides(spec, new CheckOverrides("carol", new Secret("fromenv")));

        Assert.Equal("carol", result.User);
        Assert.Equal("fromenv", result.Password!.Reveal());
        Assert.Contains("user: --user", result.Sources);
        Assert.Contains("password: DBTLS_PASSWORD", result.Sources);
        Assert.Equal(spec.Host, result.Host);
        Assert.Equal(spec.Tls, result.Tls);
    }

    [Fact]
    public void No_overrides_leave_the_spec_alone()
    {
        var spec = Spec();

        Assert.Same(spec, LibpqRunner.ApplyOverrides(spec, CheckOverrides.None));
    }

    [Fact]
    public void The_libpq_environment_comes_from_the_host()
    {
        var host = new DbTls.Cli.CliHost(TextWriter.Null, TextWriter.Null, new Dictionary<string, string> { ["HOME"] = "/home/x", ["PGSSLMODE"] = "require" })
        {
            OsUserName = "osuser",
        };

        var env = LibpqRunner.CreateEnvironment(host);

        Assert.Equal("/home/x", env.HomeDirectory);
        Assert.Equal("osuser", env.OsUserName);
        Assert.Equal("require", env.Get("PGSSLMODE"));
    }

    private static PostgresConnectionSpec Spec() => new()
    {
        Host = "db",
        User = "bob",
        Database = "app",
        SslMode = "verify-full",
        Tls = new TlsPolicy { Encryption = EncryptionMode.Required },
        RedactedConnectionString = "host=db user=bob",
        Sources = ImmutableArray<string>.Empty,
    };
}
