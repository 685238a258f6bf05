using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

/// <summary>
/// Secrets are masked where they stand, by parsing, never by searching the finished output (issues 9 and 15):
/// passwords that are common words or one letter long leave the report readable, the JSON valid, and the
/// password itself nowhere. Nothing listens on port 1, so every check ends quickly at the connection.
/// </summary>
public class CliStructuralRedactionTests
{
    private const string Distinct = "Zz-Distinct-1";

    public static TheoryData<string> Passwords => new() { "secret", "password", "passwd", "postgres", "x", "false", "Fz-Secret-91" };

    public static TheoryData<string, string, string> Strings(string password) => new()
    {
        { $"host=127.0.0.1 port=1 user=u password={password} sslmode=require", "libpq", "host=127.0.0.1 port=1 user=u password=******** sslmode=require" },
        { $"postgresql://u:{password}@127.0.0.1:1/postgres?sslmode=require", "libpq", "postgresql://u:********@127.0.0.1:1/postgres?sslmode=require" },
        { $"Server=tcp:127.0.0.1,1;User ID=u;Password={password};Encrypt=true", "sqlclient", "Server=tcp:127.0.0.1,1;User ID=u;Password=********;Encrypt=true" },
        { $"jdbc:sqlserver://127.0.0.1:1;user=u;password={password};encrypt=true", "jdbc", "jdbc:sqlserver://127.0.0.1:1;user=u;password=********;encrypt=true" },
        { $"mongodb://u:{password}@127.0.0.1:1/?tls=false", "mongodb", "mongodb://u:********@127.0.0.1:1/?tls=false" },
    };

    [Theory]
    [MemberData(nameof(Passwords))]
    public async Task A_password_that_is_a_common_word_masks_only_itself(string password)
    {
        var others = Strings(Distinct).Select(r => (string)r[0]).ToList();
        foreach (var (index, (connectionString, dialect, shown)) in Strings(password).Select((r, i) => (i, ((string)r[0], (string)r[1], (string)r[2]))))
        {
            var json = await CliRun.RunAsync(["check", connectionString, "--format", "json", "--timeout", "5"]);
            var text = await CliRun.RunAsync(["check", connectionString, "--timeout", "5"]);

            // Valid JSON, with the target shown exactly as its dialect masks it and no mask anywhere else.
            var report = ReportJson.Deserialize(json.Stdout)!;
            Assert.Equal(dialect, report.Target.Dialect);
            Assert.Equal(shown, report.Target.ConnectionString);
            Assert.Equal(1, Occurrences(json.Stdout, "********"));
            Assert.NotEqual(ExitCodes.Ok, json.ExitCode);

            // The text report is not mangled: a mask stands only where the password stood.
            Assert.Equal(1, Occurrences(text.Stdout.Replace("\n", "", StringComparison.Ordinal), "********"));
            Assert.DoesNotContain("********ql", text.Stdout, StringComparison.Ordinal);
            // The password appears nowhere it would not appear anyway: the same string with another password
            // gives the same count of the word (0 for most; "postgres" stays in postgresql://, "password" in password=).
            var baseline = await CliRun.RunAsync(["check", others[index], "--format", "json", "--timeout", "5"]);
            Assert.Equal(Occurrences(baseline.All, password), Occurrences(json.All, password));
        }
    }

    [Fact]
    public async Task The_issue_9_mongodb_repro_prints_valid_json()
    {
        var result = await CliRun.RunAsync(["check", "mongodb://u:Fz-Secret-91@127.0.0.1:1/?tls=false", "--format", "json"]);

        using var document = JsonDocument.Parse(result.Stdout);
        var negotiation = document.RootElement.GetProperty("negotiation");
        Assert.Equal(JsonValueKind.False, negotiation.GetProperty("encrypted").ValueKind);
        Assert.DoesNotContain("Fz-Secret-91", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("tls=********", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PGPASSWORD_postgres_does_not_mask_the_word_postgres()
    {
        var env = new Dictionary<string, string> { ["PGPASSWORD"] = "postgres" };

        var text = await CliRun.RunAsync(["check", "postgresql://postgres@127.0.0.1:1/postgres?sslmode=require", "--timeout", "5"], env);
        var json = await CliRun.RunAsync(["check", "postgresql://postgres@127.0.0.1:1/postgres?sslmode=require", "--format", "json", "--timeout", "5"], env);

        // The one mask is the value in the sources line ("PGPASSWORD=********"), placed there by the parser.
        Assert.Contains("postgresql://postgres@127.0.0.1:1/postgres?sslmode=require", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("PGPASSWORD=********", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(text.All, "********"));
        Assert.Equal("postgres", ReportJson.Deserialize(json.Stdout)!.Target.User);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task An_invalid_libpq_option_is_named_by_its_key(string format)
    {
        var result = await CliRun.RunAsync(["check", "host=localhost password=hunter22 sslmod=require", "--format", format]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        var expected = format == "json" ? "invalid connection option \\\"sslmod\\\"" : "invalid connection option \"sslmod\"";
        Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tail_of_an_unquoted_password_is_still_not_named()
    {
        // "b" could be the rest of the password "a b": it is no misspelt keyword, so it stays masked.
        var result = await CliRun.RunAsync(["check", "host=localhost password=a9 zq7=1", "--format", "json"]);

        Assert.Contains("invalid connection option \\\"********\\\"", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("zq7", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_keeps_apostrophes_and_ampersands_readable()
    {
        var report = SampleReports.Full();
        report.Findings[0].Message = "the server's answer & what it means <here>";
        var result = await CliRun.RunAsync(["check", "host=db", "--format", "json"], null, h => h with { Dialects = h.Dialects.With(FakeDialect.Returning(report)) });

        Assert.DoesNotContain("\\u0027", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0026", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("the server's answer & what it means <here>", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(report.Findings[0].Message, ReportJson.Deserialize(result.Stdout)!.Findings[0].Message);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
