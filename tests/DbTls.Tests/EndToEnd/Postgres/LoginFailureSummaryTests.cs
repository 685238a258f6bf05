using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// A wrong password after a good handshake: the verdict must say that TLS succeeded and the login failed, in text and
/// JSON, so nobody goes hunting for a certificate problem; over plaintext it must not claim TLS.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class LoginFailureSummaryTests(Postgres18Fixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-login-summary-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task<(int Exit, string Out)> CheckAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _home, ["PATH"] = "/usr/bin:/bin", ["PGPASSWORD"] = "not-the-password" };
        var exit = await DbTls.Cli.Cli.RunAsync(args, stdout, stderr, environment);
        return (exit, stdout + stderr.ToString());
    }

    [Theory]
    [InlineData("user={scram} sslmode=verify-full sslrootcert={root}", VerdictSummary.LoginFailedAfterTls)]
    [InlineData("user={plain} sslmode=disable", VerdictSummary.LoginFailedWithoutTls)]
    public async Task A_refused_login_is_named_as_such_in_json_and_text(string settings, string summary)
    {
        await fixture.Server.RestoreDefaultsAsync();
        var conninfo = $"host=localhost port={fixture.Server.Port} dbname=postgres " + settings
            .Replace("{scram}", PostgresUsers.Scram, StringComparison.Ordinal)
            .Replace("{plain}", PostgresUsers.Plain, StringComparison.Ordinal)
            .Replace("{root}", fixture.Certificates.RootPath, StringComparison.Ordinal);

        var (exit, stdout) = await CheckAsync("check", conninfo, "--format", "json");
        Assert.True(exit == ExitCodes.Rejected, stdout);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal("rejected", json.RootElement.GetProperty("verdict").GetString());
            Assert.Equal(summary, json.RootElement.GetProperty("summary").GetString());
            Assert.Contains(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == FindingCodes.AuthFailed);
        }

        var (textExit, text) = await CheckAsync("check", conninfo);
        Assert.Equal(ExitCodes.Rejected, textExit);
        Assert.Contains($"REJECTED  {summary}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(VerdictSummary.Rejected, text, StringComparison.Ordinal);
    }
}
