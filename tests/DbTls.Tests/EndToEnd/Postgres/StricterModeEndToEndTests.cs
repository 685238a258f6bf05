using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// sslmode=require and verify-ca do not verify everything, yet the full verification runs anyway: what
/// sslmode=verify-full would have rejected is a warning, with the corrected string, while the verdict stays OK. psql is
/// the oracle for both halves of the claim: it connects with the user's mode and fails with verify-full.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class StricterModeEndToEndTests(Postgres18Fixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-stricter-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string ConnInfo(string extra) =>
        $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} password={PostgresUsers.ScramPassword} dbname=postgres {extra}";

    private async Task<(int Exit, string Out)> CheckAsync(string conninfo, params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _home, ["PATH"] = "/usr/bin:/bin" };
        var exit = await DbTls.Cli.Cli.RunAsync(["check", conninfo, .. extra], stdout, stderr, environment);
        return (exit, stdout + stderr.ToString());
    }

    private static List<JsonElement> Stricter(JsonElement root) =>
        [.. root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("code").GetString() == FindingCodes.CertWouldFailVerification)];

    [Theory]
    [InlineData("expired", "sslmode=require", "certificate has expired")]
    [InlineData("not-yet-valid", "sslmode=require", "not yet valid")]
    [InlineData("cn-differs-from-san", "sslmode=require", "does not match host name \"localhost\"")]
    [InlineData("cn-differs-from-san", "sslmode=verify-ca sslrootcert={root}", "does not match host name \"localhost\"")]
    [InlineData("wrong-root", "sslmode=require sslrootcert={root}x", null)]
    public async Task What_verify_full_would_reject_is_a_warning_and_the_verdict_stays_ok(string certificate, string settings, string? reason)
    {
        await fixture.Server.ReloadWithCertificatesAsync(fixture.Certificates[certificate].Material);
        try
        {
            var conninfo = ConnInfo(settings.Replace("{root}", fixture.Certificates.RootPath, StringComparison.Ordinal));
            var strict = ConnInfo($"sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}");
            var psqlMode = await Differential.RunPsqlAsync(conninfo, _home);
            var psqlStrict = await Differential.RunPsqlAsync(strict, _home);
            Assert.True(psqlMode.Connected, psqlMode.Detail);
            Assert.False(psqlStrict.Connected);

            var (exit, stdout) = await CheckAsync(conninfo, "--format", "json");
            Assert.True(exit == ExitCodes.Ok, stdout);
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal("ok", json.RootElement.GetProperty("verdict").GetString());
            Assert.Equal("encrypted", json.RootElement.GetProperty("protection").GetString());
            var findings = Stricter(json.RootElement);
            if (reason is null)
            {
                // A missing root file under require: libpq silently skips verification; the chain cannot be judged and
                // the names and dates are fine, so there is nothing a stricter mode would reject that dbtls can show.
                Assert.Empty(findings);
                return;
            }

            var finding = Assert.Single(findings);
            Assert.Equal("warning", finding.GetProperty("severity").GetString());
            var message = finding.GetProperty("message").GetString()!;
            Assert.StartsWith("with sslmode=verify-full this connection would fail: ", message, StringComparison.Ordinal);
            Assert.Contains(reason, message, StringComparison.Ordinal);
            var remedy = finding.GetProperty("remedy").GetString()!;
            Assert.Contains($"port={fixture.Server.Port}", remedy, StringComparison.Ordinal);
            Assert.Contains("password=******** dbname=postgres sslmode=verify-full", remedy, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresUsers.ScramPassword, stdout, StringComparison.Ordinal);

            var (textExit, text) = await CheckAsync(conninfo);
            Assert.Equal(ExitCodes.Ok, textExit);
            Assert.Contains("with sslmode=verify-full this connection would fail", text, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task A_certificate_verify_full_accepts_raises_no_warning_under_verify_ca()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var conninfo = ConnInfo($"sslmode=verify-ca sslrootcert={fixture.Certificates.RootPath}");
        var (exit, stdout) = await CheckAsync(conninfo, "--format", "json");
        Assert.True(exit == ExitCodes.Ok, stdout);
        using var json = JsonDocument.Parse(stdout);
        Assert.Empty(Stricter(json.RootElement));
        var hostname = json.RootElement.GetProperty("tls").GetProperty("validation").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "hostname");
        Assert.Equal("skipped", hostname.GetProperty("outcome").GetString());
        Assert.StartsWith("not required by this policy; checked anyway and it would pass", hostname.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_names_a_trust_source_only_when_verification_uses_it()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var trustLine = new System.Text.RegularExpressions.Regex(@"^\W*Trust\s+(?<value>.+)$", System.Text.RegularExpressions.RegexOptions.Multiline);

        var (_, unverified) = await CheckAsync(ConnInfo("sslmode=require"));
        Assert.DoesNotMatch(trustLine, unverified);

        var (_, verified) = await CheckAsync(ConnInfo($"sslmode=verify-ca sslrootcert={fixture.Certificates.RootPath}"));
        Assert.Contains(fixture.Certificates.RootPath, trustLine.Match(verified).Groups["value"].Value, StringComparison.Ordinal);
    }
}
