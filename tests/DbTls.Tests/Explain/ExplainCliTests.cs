using System.Text.Json;
using DbTls.Explain;
using DbTls.Tests.Cli;

namespace DbTls.Tests.Explain;

/// <summary><c>dbtls explain</c> through the real command line: exit codes, formats, redaction.</summary>
public sealed class ExplainCliTests : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(["explain", .. args], _fx.Variables);

    [Fact]
    public async Task A_verified_string_exits_0()
    {
        var result = await Run($"host=db.example.com sslmode=verify-full sslrootcert={_fx.CaFile()}");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No findings.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unverified_string_exits_1()
    {
        var result = await Run("host=db sslmode=require");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("lint.unverified-encryption", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_warning_turns_a_warning_into_exit_1()
    {
        var text = $"host=db.example.com sslmode=verify-full sslrootcert={_fx.CaFile()} ssl_min_protocol_version=TLSv1";

        Assert.Equal(0, (await Run(text)).ExitCode);
        Assert.Equal(1, (await Run(text, "--fail-on", "warning")).ExitCode);
    }

    [Fact]
    public async Task Fail_on_info_counts_notes()
    {
        // SqlClient notes Connect Timeout=0 (config.note, info) and nothing worse.
        var text = "Server=db,1433;Encrypt=Mandatory;Connect Timeout=0";

        Assert.Equal(0, (await Run(text, "--fail-on", "warning")).ExitCode);
        Assert.Equal(1, (await Run(text, "--fail-on", "info")).ExitCode);
    }

    [Theory]
    [InlineData("host=db sslmode=bogus")]
    [InlineData("this is not a connection string at all;;")]
    public async Task Invalid_input_exits_2(string text) => Assert.Equal(2, (await Run(text)).ExitCode);

    [Fact]
    public async Task A_bad_fail_on_value_is_a_usage_error() => Assert.Equal(2, (await Run("host=db", "--fail-on", "fatal")).ExitCode);

    [Fact]
    public async Task Json_parses_and_carries_the_policy_and_the_answer_table()
    {
        var result = await Run("Server=db.example.com,1433;Encrypt=Optional;User Id=sa", "--format", "json");

        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        Assert.Equal("sqlclient", root.GetProperty("dialect").GetString());
        Assert.Equal("tds", root.GetProperty("protocol").GetString());
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        Assert.Equal(result.ExitCode, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("opportunistic", root.GetProperty("policy").GetProperty("encryption").GetString());
        Assert.Equal("OFF", root.GetProperty("encryptionSent").GetString());
        var on = root.GetProperty("serverAnswers").EnumerateArray().Single(a => a.GetProperty("answer").GetString() == "ON");
        Assert.Equal("plaintext", on.GetProperty("action").GetString());
        Assert.Contains(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "lint.credentials-in-clear");
        Assert.NotNull(OfflineJson.DeserializeExplain(result.Stdout));
    }

    [Fact]
    public async Task Json_for_invalid_input_is_still_json()
    {
        var result = await Run("host=db sslmode=bogus", "--format", "json");

        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("config.invalid", document.RootElement.GetProperty("findings")[0].GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Passwords_never_appear(string format)
    {
        const string secret = "Zq9SecretPw";
        foreach (var text in new[]
        {
            $"Server=db,1433;Encrypt=Optional;User Id=sa;Password={secret}",
            $"jdbc:sqlserver://db:1433;encrypt=false;user=sa;password={secret}",
            $"host=db sslmode=prefer password={secret}",
            $"mongodb://u:{secret}@db/?tls=false",
            $"host=db sslmode=bogus password={secret}",
        })
        {
            var result = await Run(text, "--format", format);
            Assert.DoesNotContain(secret, result.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dialect_option_reads_the_string_as_named() =>
        Assert.Contains("\"dialect\": \"libpq\"", (await Run("postgresql://db/app?sslmode=require", "--dialect", "libpq", "--format", "json")).Stdout, StringComparison.Ordinal);
}
