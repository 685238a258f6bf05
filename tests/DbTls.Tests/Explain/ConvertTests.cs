using DbTls.Conversion;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Tests.Explain;

/// <summary>
/// <c>convert</c> between the SQL Server dialects (SqlClient, JDBC, FreeTDS, ODBC) and libpq to itself: round trips give the same policy where the conversion
/// is exact, a lossy conversion always says so, and the lint rules (an oracle independent of the comparison) never find a
/// new error in a conversion that claims not to be weaker.
/// </summary>
public sealed class ConvertTests : IDisposable
{
    private static readonly string[] TdsDialects = ["sqlclient", "jdbc", "freetds", "odbc"];

    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private CheckEnvironment Environment => new(_fx.Variables) { OsUserName = "tester" };

    private ConversionOutcome Convert(string text, string from, string to) =>
        ConnectionConverter.Convert(DialectRegistry.Default.Find(from)!, text, DialectRegistry.Default.Find(to)!, Environment);

    /// <summary>The string a driver takes: the text, or for FreeTDS the target after its section was written to the test's freetds.conf.</summary>
    private string Usable(RenderedConnection rendered)
    {
        if (rendered.Target is null)
        {
            return rendered.Text;
        }

        File.WriteAllText(_fx.FreeTdsConf, rendered.Text);
        return rendered.Target;
    }

    private TlsPolicy PolicyOf(string text, string dialect) => _fx.Explained(text, dialect).Description.Tls;

    /// <summary>Generated SQL Server policies: every encryption setting × verification switch × name override, per dialect.</summary>
    public static TheoryData<string, string> TdsSources()
    {
        var data = new TheoryData<string, string>();
        foreach (var encrypt in new[] { "Optional", "Mandatory", "Strict" })
        {
            foreach (var trust in new[] { "True", "False" })
            {
                data.Add("sqlclient", $"Server=db.example.com,1433;Encrypt={encrypt};TrustServerCertificate={trust}");
                data.Add("sqlclient", $"Server=db.example.com,1433;Encrypt={encrypt};TrustServerCertificate={trust};HostNameInCertificate=cert.example.com");
            }
        }

        foreach (var encrypt in new[] { "false", "true", "strict" })
        {
            foreach (var trust in new[] { "true", "false" })
            {
                data.Add("jdbc", $"jdbc:sqlserver://db.example.com:1433;encrypt={encrypt};trustServerCertificate={trust}");
                data.Add("jdbc", $"jdbc:sqlserver://db.example.com:1433;encrypt={encrypt};trustServerCertificate={trust};sslProtocol=TLSv1.2");
            }
        }

        foreach (var encrypt in new[] { "", "Encrypt=no;", "Encrypt=yes;", "Encrypt=strict;" })
        {
            foreach (var trust in new[] { "yes", "no" })
            {
                data.Add("odbc", $"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:db.example.com,1433;{encrypt}TrustServerCertificate={trust}");
                data.Add("odbc", $"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:db.example.com,1433;{encrypt}TrustServerCertificate={trust};HostNameInCertificate=cert.example.com");
            }
        }

        data.Add("odbc", "Driver={ODBC Driver 17 for SQL Server};Server=tcp:db.example.com,1433");
        foreach (var encryption in new[] { "off", "request", "require", "strict" })
        {
            foreach (var ca in new[] { "", "\tca file = system\n", "\tca file = system\n\tcheck certificate hostname = no\n" })
            {
                data.Add("freetds", $"\thost = db.example.com\n\tport = 1433\n\tencryption = {encryption}\n{ca}");
            }
        }

        return data;
    }

    /// <summary>A FreeTDS source is a section body: it is written to the test's freetds.conf and named freetds:srv.</summary>
    private string Source(string dialect, string text)
    {
        if (dialect != "freetds")
        {
            return text;
        }

        _fx.FreeTdsSection(text);
        return "freetds:srv";
    }

    [Theory]
    [MemberData(nameof(TdsSources))]
    public void A_conversion_that_claims_no_loss_adds_no_lint_error(string from, string text)
    {
        foreach (var to in TdsDialects.Where(d => d != from))
        {
            var source = Source(from, text);
            var sourceErrors = ExplainFixture.Lint(_fx.Explained(source, from)).Where(f => f.Severity == Severity.Error).Select(f => f.Code).ToHashSet();
            var outcome = Convert(source, from, to);
            Assert.Null(outcome.Failure);
            if (outcome.IsWeaker)
            {
                Assert.Equal(1, outcome.ExitCode);
                continue;
            }

            var targetErrors = ExplainFixture.Lint(_fx.Explained(Usable(outcome.Rendered!), to)).Where(f => f.Severity == Severity.Error).Select(f => f.Code);

            // One exception, on purpose: a string that never encrypts may become one whose TLS is unverified (SqlClient and
            // JDBC cannot switch encryption off), which is more protection, not less.
            if (sourceErrors.Contains(FindingCodes.LintCredentialsInClear) && _fx.Explained(source, from).Description.Tls.Encryption == EncryptionMode.Disabled)
            {
                targetErrors = targetErrors.Where(c => c != FindingCodes.LintUnverifiedEncryption);
            }

            Assert.True(targetErrors.All(sourceErrors.Contains), $"{from} → {to}: {string.Join(", ", targetErrors.Except(sourceErrors))} is new in {outcome.Rendered!.Text}");
        }
    }

    [Theory]
    [MemberData(nameof(TdsSources))]
    public void An_exact_conversion_round_trips_to_the_same_policy(string from, string text)
    {
        foreach (var to in TdsDialects.Where(d => d != from))
        {
            var source = Source(from, text);
            var original = PolicyOf(source, from);
            var there = Convert(source, from, to);
            if (!ConversionChecks.Exact(there))
            {
                continue;
            }

            var usable = Usable(there.Rendered!);
            var back = Convert(usable, to, from);
            Assert.True(ConversionChecks.Exact(back), $"{to} → {from} of {usable} is not exact: {string.Join("; ", back.Rendered!.Notes.Concat(back.Differences).Select(n => n.Message))}");
            Assert.Equal(ConversionChecks.Fields(original), ConversionChecks.Fields(PolicyOf(Usable(back.Rendered!), from)));
        }
    }

    [Fact]
    public void Some_generated_conversions_are_exact_and_round_trip()
    {
        // Guards the round-trip theory against vacuity: these pairs must be exact.
        Assert.True(ConversionChecks.Exact(Convert("Server=db.example.com,1433;Encrypt=Mandatory;TrustServerCertificate=False", "sqlclient", "jdbc")));
        Assert.True(ConversionChecks.Exact(Convert("jdbc:sqlserver://db.example.com:1433;encrypt=strict", "jdbc", "sqlclient")));
        Assert.True(ConversionChecks.Exact(Convert("jdbc:sqlserver://db.example.com:1433;encrypt=true;trustServerCertificate=true", "jdbc", "sqlclient")));
        Assert.True(ConversionChecks.Exact(Convert("Server=db.example.com,1433;Encrypt=Strict;HostNameInCertificate=cert.example.com", "sqlclient", "odbc")));
        Assert.True(ConversionChecks.Exact(Convert("Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433", "odbc", "jdbc")));
    }

    [Fact]
    public void Explain_of_the_converted_string_gives_the_same_effective_policy()
    {
        var original = _fx.Explained("Server=db.example.com,1433;Encrypt=Strict;HostNameInCertificate=cert.example.com").Description;
        var converted = Convert(original.RedactedConnectionString, "sqlclient", "jdbc");
        var described = _fx.Explained(Usable(converted.Rendered!), "jdbc").Description;

        Assert.Equal(original.Tls.Encryption, described.Tls.Encryption);
        Assert.Equal(original.Tls.Verification, described.Tls.Verification);
        Assert.Equal(original.Tls.ExpectedHostName, described.Tls.ExpectedHostName);
        Assert.Equal(original.Tls.Trust, described.Tls.Trust);
        Assert.Equal(original.Tls.Alpn, described.Tls.Alpn, StringComparer.Ordinal);
    }

    [Fact]
    public void Sqlclient_optional_to_jdbc_is_the_same_answer_table() =>
        Assert.DoesNotContain(Convert("Server=db,1433;Encrypt=Optional", "sqlclient", "jdbc").Differences, n => n.Setting.StartsWith("server answer", StringComparison.Ordinal) && n.Effect == ConversionEffect.Weaker);

    [Fact]
    public void Freetds_request_to_sqlclient_is_weaker_because_sqlclient_sends_the_login_in_clear_on_encrypt_on()
    {
        var outcome = Convert(Source("freetds", "\thost = db\n\tport = 1433\n\tencryption = request\n\tca file = system\n"), "freetds", "sqlclient");

        Assert.True(outcome.IsWeaker);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains(outcome.Differences, n => n.Setting == "server answer ENCRYPT_ON" && n.Effect == ConversionEffect.Weaker);
    }

    [Fact]
    public void A_jdbc_trust_store_cannot_become_sqlclient_without_loss()
    {
        var store = _fx.Write("trust.p12", "x");
        var outcome = Convert($"jdbc:sqlserver://db:1433;encrypt=true;trustStore={store};trustStorePassword=abc", "jdbc", "sqlclient");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains(outcome.Rendered!.Notes, n => n.Setting == "trust" && n.Effect == ConversionEffect.Weaker);
        Assert.DoesNotContain("abc", outcome.Rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sqlclient_pin_without_strict_is_lost_in_jdbc_and_named()
    {
        var pin = _fx.LeafFile("pin.pem", DateTimeOffset.UtcNow.AddDays(100));
        var outcome = Convert($"Server=db,1433;Encrypt=Mandatory;ServerCertificate={pin}", "sqlclient", "jdbc");

        Assert.True(outcome.IsWeaker);
        Assert.Contains(outcome.Rendered!.Notes, n => n.Setting == "pinned certificate" && n.Effect == ConversionEffect.Weaker);
        Assert.Contains(outcome.Differences, n => n.Setting == "pinned certificate" && n.Effect == ConversionEffect.Weaker);
    }

    [Fact]
    public void Passwords_are_never_copied()
    {
        foreach (var (text, from, to) in new[]
        {
            ("Server=db,1433;Encrypt=Mandatory;User Id=sa;Password=Zq9Secret", "sqlclient", "jdbc"),
            ("jdbc:sqlserver://db:1433;encrypt=true;user=sa;password=Zq9Secret", "jdbc", "sqlclient"),
            ("jdbc:sqlserver://db:1433;encrypt=true;user=sa;password=Zq9Secret", "jdbc", "freetds"),
            ("host=db sslmode=require password=Zq9Secret", "libpq", "libpq"),
            ("mongodb://u:Zq9Secret@db/?tls=true", "mongodb", "mongodb"),
            ("host=db user=tester sslmode=require password=Zq9Secret", "libpq", "npgsql"),
            ("host=db user=tester sslmode=require password=Zq9Secret", "libpq", "pgjdbc"),
            ("Host=db;Username=tester;Password=Zq9Secret;SSL Mode=Require", "npgsql", "libpq"),
            ("jdbc:postgresql://db/app?user=tester&password=Zq9Secret&sslmode=require", "pgjdbc", "npgsql"),
            ("Driver={ODBC Driver 18 for SQL Server};Server=tcp:db,1433;UID=sa;PWD={Zq9Secret}", "odbc", "sqlclient"),
            ("Server=db,1433;User Id=sa;Password=Zq9Secret", "sqlclient", "odbc"),
            ("mongodb://u:Zq9Secret@db/?tls=true", "pymongo", "mongodb"),
        })
        {
            var outcome = Convert(text, from, to);
            Assert.DoesNotContain("Zq9Secret", outcome.Rendered!.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Zq9Secret", outcome.RedactedSource, StringComparison.Ordinal);
            Assert.Contains(outcome.Rendered.Notes, n => n.Setting is "password" or "user" && n.Effect == ConversionEffect.ManualStep);
        }
    }

    [Theory]
    [InlineData("host=db.example.com sslmode=verify-full sslrootcert=system")]
    [InlineData("host=db sslmode=prefer")]
    [InlineData("host=db sslmode=allow")]
    [InlineData("host=db sslmode=disable")]
    [InlineData("host=db sslmode=require sslnegotiation=direct ssl_min_protocol_version=TLSv1.3")]
    public void Libpq_to_libpq_round_trips(string text)
    {
        var outcome = Convert(text, "libpq", "libpq");

        Assert.Empty(outcome.Differences);
        Assert.Equal(ConversionChecks.Fields(PolicyOf(text, "libpq")), ConversionChecks.Fields(PolicyOf(outcome.Rendered!.Text, "libpq")));
    }

    [Fact]
    public void Libpq_verify_ca_with_a_file_round_trips_with_its_crl()
    {
        var ca = _fx.CaFile();
        var crl = _fx.Write("crl.pem", "x");
        var text = $"host=db sslmode=verify-ca sslrootcert={ca} sslcrl={crl}";

        var outcome = Convert(text, "libpq", "libpq");

        Assert.Equal(ConversionChecks.Fields(PolicyOf(text, "libpq")), ConversionChecks.Fields(PolicyOf(outcome.Rendered!.Text, "libpq")));
    }

    [Fact]
    public void Different_protocols_are_refused_with_exit_2()
    {
        var outcome = Convert("host=db sslmode=require", "libpq", "sqlclient");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Null(outcome.Rendered);
        Assert.Equal(FindingCodes.ConfigInvalid, outcome.Failure!.Code);
    }
}
