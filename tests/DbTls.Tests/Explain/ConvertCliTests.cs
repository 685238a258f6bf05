using System.Text.Json;
using DbTls.Explain;
using DbTls.Tests.Cli;

namespace DbTls.Tests.Explain;

/// <summary><c>dbtls convert</c> through the real command line: output, exit codes, JSON, secrets.</summary>
public sealed class ConvertCliTests : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private Task<CliResult> Run(params string[] args) => CliRun.RunAsync(["convert", .. args], _fx.Variables);

    [Fact]
    public async Task An_equivalent_conversion_prints_the_string_and_exits_0()
    {
        var result = await Run("Server=db.example.com,1433;Encrypt=Mandatory", "--to", "jdbc");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("jdbc:sqlserver://db.example.com:1433;encrypt=true\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lossy_conversion_exits_1_and_says_so()
    {
        var result = await Run(Source("\thost = db\n\tport = 1433\n\tencryption = request\n\tca file = system\n"), "--to", "sqlclient");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("protects LESS than the original", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("server answer ENCRYPT_ON", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task To_freetds_prints_a_section_and_the_target()
    {
        var result = await Run("jdbc:sqlserver://db.example.com:1433;encrypt=strict", "--to", "freetds");

        Assert.Contains("[db.example.com]\n\thost = db.example.com\n\tport = 1433\n\ttds version = 8.0\n\tencryption = strict\n\tca file = system\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("# connect with: freetds:db.example.com", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Different_protocols_exit_2() =>
        Assert.Equal(2, (await Run("host=db sslmode=verify-full", "--to", "jdbc")).ExitCode);

    [Fact]
    public async Task An_unknown_target_is_a_usage_error() =>
        Assert.Equal(2, (await Run("host=db", "--to", "oracle")).ExitCode);

    [Fact]
    public async Task Json_parses_and_names_the_loss()
    {
        var result = await Run("jdbc:sqlserver://db:1433;encrypt=true;user=sa;password=Zq9Secret;trustStore=/nowhere/t.p12", "--to", "sqlclient", "--format", "json");

        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        Assert.True(root.GetProperty("weaker").GetBoolean());
        Assert.Contains(root.GetProperty("notes").EnumerateArray(), n => n.GetProperty("setting").GetString() == "trust" && n.GetProperty("effect").GetString() == "weaker");
        Assert.Contains("Password=<password>", root.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Zq9Secret", result.All, StringComparison.Ordinal);
        Assert.NotNull(OfflineJson.DeserializeConvert(result.Stdout));
    }

    private string Source(string section)
    {
        _fx.FreeTdsSection(section);
        return "freetds:srv";
    }

    [Fact]
    public async Task Pymongo_keyword_arguments_given_with_option_are_written_into_the_uri()
    {
        var ca = _fx.CaFile();

        var result = await Run("mongodb://db.example.com/?tls=true", "--to", "mongodb", "--option", $"tlsCAFile={ca}");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("tlsCAFile=" + Uri.EscapeDataString(ca), result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Option_with_a_dialect_that_takes_no_keyword_arguments_exits_2()
    {
        Assert.Equal(2, (await Run("host=db sslmode=require", "--to", "npgsql", "--option", "tls=true")).ExitCode);
        Assert.Equal(2, (await CliRun.RunAsync(["explain", "host=db sslmode=require", "--option", "tls=true"], _fx.Variables)).ExitCode);
    }
}
