using System.Collections.Immutable;
using DbTls.Dialects;
using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Tests.Cli;

public class CliOverrideTests
{
    [Fact]
    public async Task User_password_and_timeout_reach_the_dialect_runner()
    {
        var runner = FakeDialect.Returning(SampleReports.Full());

        await CliRun.RunAsync(
            ["check", "host=db user=bob password=fromstring", "--user", "carol", "--timeout", "2.5"],
            new Dictionary<string, string> { ["DBTLS_PASSWORD"] = "fromenv" },
            h => h with { Dialects = h.Dialects.With(runner) });

        var call = runner.Call!;
        Assert.Equal("host=db user=bob password=fromstring", call.ConnectionString);
        Assert.Equal("carol", call.Environment.User);
        Assert.Equal("fromenv", call.Environment.Password!.Reveal());
        Assert.Equal(TimeSpan.FromSeconds(2.5), call.Options.Timeout);
    }

    [Fact]
    public async Task Without_overrides_nothing_is_overridden()
    {
        var runner = FakeDialect.Returning(SampleReports.Full());

        await CliRun.RunAsync(
            ["check", "host=db"],
            new Dictionary<string, string> { ["DBTLS_PASSWORD"] = "" },
            h => h with { Dialects = h.Dialects.With(runner) });

        Assert.Null(runner.Call!.Environment.User);
        Assert.Null(runner.Call.Environment.Password);
        Assert.Null(runner.Call.Options.Timeout);
    }

    [Fact]
    public void Overrides_replace_user_and_password_in_the_libpq_spec_and_say_so()
    {
        var spec = Spec() with { Password = new Secret("fromstring") };

        var result = LibpqDialect.ApplyOverrides(spec, Environment() with { User = "carol", Password = new Secret("fromenv") });

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

        Assert.Same(spec, LibpqDialect.ApplyOverrides(spec, Environment()));
    }

    [Fact]
    public void The_libpq_environment_comes_from_the_check_environment()
    {
        var environment = new CheckEnvironment(new Dictionary<string, string> { ["HOME"] = "/home/x", ["PGSSLMODE"] = "require" })
        {
            OsUserName = "osuser",
        };

        var env = LibpqDialect.EnvironmentOf(environment);

        Assert.Equal("/home/x", env.HomeDirectory);
        Assert.Equal("osuser", env.OsUserName);
        Assert.Equal("require", env.Get("PGSSLMODE"));
    }

    private static CheckEnvironment Environment() => new(new Dictionary<string, string>());

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
