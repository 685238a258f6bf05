using System.Text.Json;
using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Policy;
using DbTls.Tests.Cli;

namespace DbTls.Tests.Explain;

/// <summary>
/// <c>convert --strict</c> (a lossy conversion is refused and its string withheld) and <c>convert --include-password</c>
/// (the password is written, quoted for the target, and reads back as itself through the target's own parser; without
/// the flag it never appears).
/// </summary>
public sealed class ConvertStrictAndPasswordTests : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private Task<CliResult> Run(IReadOnlyDictionary<string, string>? extra, params string[] args)
    {
        var variables = new Dictionary<string, string>(_fx.Variables);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return CliRun.RunAsync(["convert", .. args], variables);
    }

    private const string Root = "/etc/ssl/certs/ca-certificates.crt";

    [Fact]
    public async Task Strict_withholds_a_lossy_conversion_and_names_the_loss()
    {
        // libpq's CRL directory has no Npgsql counterpart: the conversion is weaker.
        var source = $"host=db.example.com sslmode=verify-full sslrootcert={Root} sslcrldir=/tmp";
        var loose = await Run(null, source, "--to", "npgsql");
        var strict = await Run(null, source, "--to", "npgsql", "--strict");
        var json = await Run(null, source, "--to", "npgsql", "--strict", "--format", "json");

        Assert.Equal(1, loose.ExitCode);
        Assert.StartsWith("Host=db.example.com;", loose.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, strict.ExitCode);
        Assert.DoesNotContain("Host=", strict.Stdout, StringComparison.Ordinal);
        Assert.Contains("convert.lossy", strict.Stdout, StringComparison.Ordinal);
        Assert.Contains("weaker  crl", strict.Stdout, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(json.Stdout);
        var root = document.RootElement;
        Assert.Equal(1, json.ExitCode);
        Assert.False(root.TryGetProperty("output", out var output) && output.ValueKind != JsonValueKind.Null, json.Stdout);
        Assert.Equal("convert.lossy", Assert.Single(root.GetProperty("findings").EnumerateArray()).GetProperty("code").GetString());
        Assert.Contains(root.GetProperty("notes").EnumerateArray(), n => n.GetProperty("effect").GetString() == "weaker");
    }

    [Fact]
    public async Task Strict_lets_a_lossless_conversion_through()
    {
        var result = await Run(null, "Server=db.example.com,1433;Encrypt=Mandatory", "--to", "jdbc", "--strict");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("jdbc:sqlserver://db.example.com:1433;encrypt=true\n", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Passwords that break naive quoting in one syntax or another.</summary>
    public static readonly string[] HostilePasswords =
    [
        "semi;colon", "it's", "say \"hi\"", "{braced}", "close}}brace", "at@sign:colon/slash", "100%", " padded ", "tab\there",
        "back\\slash", "equals=sign", "?query&amp#frag", "pässwörd-日本", "'\"{};=@%",
    ];

    public static TheoryData<string, string, string> PasswordCases()
    {
        var data = new TheoryData<string, string, string>();
        (string Dialect, string Text)[] postgres =
        [
            ("libpq", $"host=db.example.com user=app sslmode=verify-full sslrootcert={Root}"),
            ("npgsql", $"Host=db.example.com;Username=app;SSL Mode=VerifyFull;Root Certificate={Root}"),
            ("pgjdbc", $"jdbc:postgresql://db.example.com/app?user=app&sslmode=verify-full&sslrootcert={Root}"),
            ("node-postgres", $"postgres://app@db.example.com/app?sslmode=verify-full&sslrootcert={Root}"),
        ];
        (string Dialect, string Text)[] tds =
        [
            ("sqlclient", "Server=db.example.com;User ID=sa;Encrypt=Strict"),
            ("jdbc", "jdbc:sqlserver://db.example.com:1433;user=sa;encrypt=strict"),
            ("odbc", "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433;UID=sa;Encrypt=Strict"),
        ];
        (string Dialect, string Text)[] mongo = [("mongodb", "mongodb://app@db.example.com/?tls=true"), ("pymongo", "mongodb://app@db.example.com/?tls=true")];
        foreach (var family in new[] { postgres, tds, mongo })
        {
            foreach (var (from, text) in family)
            {
                foreach (var (to, _) in family)
                {
                    data.Add(from, text, to);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PasswordCases))]
    public void An_included_password_reads_back_as_itself_through_the_targets_parser(string from, string text, string to)
    {
        var source = DialectRegistry.Default.Find(from)!;
        var target = DialectRegistry.Default.Find(to)!;
        foreach (var password in HostilePasswords)
        {
            var environment = new CheckEnvironment(new Dictionary<string, string> { ["HOME"] = _fx.Home }) { Password = new Secret(password) };
            var outcome = ConnectionConverter.Convert(source, text, target, environment, new ConvertOptions { IncludePassword = true });

            Assert.True(outcome.Failure is null, $"{from} → {to} with {password}: {outcome.Failure?.Message}");
            var written = outcome.Rendered!.Text;
            var back = ((IDescribableDialect)target).Describe(written, new CheckEnvironment(new Dictionary<string, string> { ["HOME"] = _fx.Home }));
            Assert.True(back.HasPassword, $"{to} reads no password from {written}");
            Assert.True(new Secret(password).Equals(back.Password), $"{from} → {to}: {written} reads back another password than «{password}»");
            Assert.DoesNotContain(outcome.Rendered.Notes.Concat(outcome.Differences), n => n.Setting == "password" && n.Effect == ConversionEffect.Weaker);
            Assert.Contains(outcome.Rendered.Notes, n => n.Setting == "password" && n.Message.Contains("--include-password", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(PasswordCases))]
    public void Without_the_flag_no_password_is_written(string from, string text, string to)
    {
        const string password = "Zq9-never-copied";
        var environment = new CheckEnvironment(new Dictionary<string, string> { ["HOME"] = _fx.Home }) { Password = new Secret(password) };
        var outcome = ConnectionConverter.Convert(DialectRegistry.Default.Find(from)!, text, DialectRegistry.Default.Find(to)!, environment);
        var report = DbTls.Explain.OfflineJson.Serialize(ConvertReport.Of(outcome));

        Assert.DoesNotContain(password, outcome.Rendered!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(password, report, StringComparison.Ordinal);
        Assert.Contains(outcome.Rendered.Notes, n => n.Setting == "password" && n.Effect == ConversionEffect.ManualStep);
    }

    [Fact]
    public async Task The_cli_carries_the_password_only_with_the_flag()
    {
        var variables = new Dictionary<string, string> { ["PGPASSWORD"] = "p;'\"x y" };
        var source = $"host=db.example.com user=app sslmode=verify-full sslrootcert={Root}";
        var without = await Run(variables, source, "--to", "npgsql", "--format", "json");
        var with = await Run(variables, source, "--to", "npgsql", "--include-password");

        Assert.Equal(0, without.ExitCode);
        Assert.DoesNotContain("x y", without.Stdout, StringComparison.Ordinal);
        Assert.Contains("Password=<password>", JsonDocument.Parse(without.Stdout).RootElement.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Host=db.example.com;Port=5432;Database=app;Username=app;Password=\"p;'\"\"x y\";", with.Stdout, StringComparison.Ordinal);
    }
}
