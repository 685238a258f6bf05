using DbTls.Conversion;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Tests.Explain;

/// <summary>
/// <c>convert</c> among the PostgreSQL dialects (libpq, Npgsql, pgjdbc) and the MongoDB ones (URI, PyMongo keyword
/// arguments): exact conversions round-trip to the same policy, lossy ones say so and exit 1, and the lint rules (an
/// oracle independent of the comparison) find no new error in a conversion that claims not to be weaker.
/// </summary>
public sealed class PostgresMongoConvertTests : IDisposable
{
    private static readonly string[] PostgresDialects = ["libpq", "npgsql", "pgjdbc"];

    private readonly ExplainFixture _fx = new();
    private readonly string _ca;

    public PostgresMongoConvertTests()
    {
        _ca = _fx.CaFile();
    }

    public void Dispose() => _fx.Dispose();

    private CheckEnvironment Environment(IReadOnlyList<KeyValuePair<string, string>>? options = null) =>
        new(_fx.Variables) { OsUserName = "tester", Options = options ?? [] };

    /// <summary>Generated PostgreSQL policies in each dialect's words; {ca} stands for a CA file the test writes.</summary>
    public static TheoryData<string, string> PostgresSources()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in new[] { "disable", "allow", "prefer", "require" })
        {
            data.Add("libpq", $"host=db.example.com dbname=app user=tester sslmode={mode}");
            data.Add("pgjdbc", $"jdbc:postgresql://db.example.com:5432/app?user=tester&sslmode={mode}");
        }

        foreach (var mode in new[] { "verify-ca", "verify-full" })
        {
            data.Add("libpq", $"host=db.example.com dbname=app user=tester sslmode={mode} sslrootcert={{ca}}");
            data.Add("pgjdbc", $"jdbc:postgresql://db.example.com:5432/app?user=tester&sslmode={mode}&sslrootcert={{ca}}");
        }

        data.Add("libpq", "host=db.example.com dbname=app user=tester sslmode=verify-full sslrootcert=system");
        data.Add("libpq", "host=db.example.com dbname=app user=tester sslmode=require sslnegotiation=direct");
        data.Add("libpq", "host=db.example.com dbname=app user=tester sslmode=verify-full sslrootcert={ca} sslcrl={ca}");
        data.Add("libpq", "host=db.example.com dbname=app user=tester sslmode=verify-full sslrootcert={ca} ssl_min_protocol_version=TLSv1.3");
        data.Add("pgjdbc", "jdbc:postgresql://db.example.com:5432/app?user=tester&ssl=true&sslrootcert={ca}");
        data.Add("pgjdbc", "jdbc:postgresql://db.example.com:5432/app?user=tester&sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
        foreach (var mode in new[] { "Disable", "Allow", "Prefer", "Require", "VerifyCA;Root Certificate={ca}", "VerifyFull;Root Certificate={ca}", "VerifyFull", "Require;SSL Negotiation=Direct" })
        {
            data.Add("npgsql", $"Host=db.example.com;Database=app;Username=tester;SSL Mode={mode}");
        }

        return data;
    }

    private string Fill(string text) => text.Replace("{ca}", _ca, StringComparison.Ordinal);

    private ConversionOutcome Convert(string text, string from, string to, IReadOnlyList<KeyValuePair<string, string>>? options = null) =>
        ConnectionConverter.Convert(DialectRegistry.Default.Find(from)!, text, DialectRegistry.Default.Find(to)!, Environment(options));

    private TlsPolicy PolicyOf(string text, string dialect) => _fx.Explained(text, dialect).Description.Tls;

    [Theory]
    [MemberData(nameof(PostgresSources))]
    public void An_exact_postgres_conversion_round_trips_to_the_same_policy(string from, string template)
    {
        var text = Fill(template);
        var original = PolicyOf(text, from);
        foreach (var to in PostgresDialects.Where(d => d != from))
        {
            var there = Convert(text, from, to);
            Assert.Null(there.Failure);
            if (!ConversionChecks.Exact(there))
            {
                continue;
            }

            var back = Convert(there.Rendered!.Text, to, from);
            // Back may carry a note that only warns (libpq: a ~/.postgresql/root.crt would make require verify), never a loss.
            Assert.False(back.IsWeaker, $"{to} → {from} of {there.Rendered.Text} is weaker: {string.Join("; ", back.Rendered!.Notes.Concat(back.Differences).Select(n => n.Message))}");
            Assert.Equal(ConversionChecks.Fields(original), ConversionChecks.Fields(PolicyOf(back.Rendered!.Text, from)));
        }
    }

    [Theory]
    [MemberData(nameof(PostgresSources))]
    public void A_postgres_conversion_that_claims_no_loss_adds_no_lint_error(string from, string template)
    {
        var text = Fill(template);
        var sourceErrors = ExplainFixture.Lint(_fx.Explained(text, from)).Where(f => f.Severity == Severity.Error).Select(f => f.Code).ToHashSet();
        foreach (var to in PostgresDialects.Where(d => d != from))
        {
            var outcome = Convert(text, from, to);
            Assert.Null(outcome.Failure);
            Assert.Equal(outcome.IsWeaker ? 1 : 0, outcome.ExitCode);
            if (outcome.IsWeaker)
            {
                continue;
            }

            var targetErrors = ExplainFixture.Lint(_fx.Explained(outcome.Rendered!.Text, to)).Where(f => f.Severity == Severity.Error).Select(f => f.Code);
            Assert.True(targetErrors.All(sourceErrors.Contains), $"{from} → {to}: {string.Join(", ", targetErrors.Except(sourceErrors))} is new in {outcome.Rendered.Text}");
        }
    }

    [Fact]
    public void Some_postgres_conversions_are_exact()
    {
        // Guards the round-trip theory against vacuity: these pairs must be exact in both directions.
        var libpq = $"host=db.example.com dbname=app user=tester sslmode=verify-full sslrootcert={_ca}";
        Assert.True(ConversionChecks.Exact(Convert(libpq, "libpq", "npgsql")));
        Assert.True(ConversionChecks.Exact(Convert(libpq, "libpq", "pgjdbc")));
        Assert.True(ConversionChecks.Exact(Convert($"Host=db.example.com;Username=tester;SSL Mode=VerifyCA;Root Certificate={_ca}", "npgsql", "pgjdbc")));
        Assert.True(ConversionChecks.Exact(Convert("jdbc:postgresql://db.example.com/app?user=tester&sslmode=require", "pgjdbc", "npgsql")));
    }

    [Theory]
    [InlineData("sslcrl={ca}", "crl")]
    [InlineData("ssl_min_protocol_version=TLSv1.3", "tls versions")]
    public void A_libpq_setting_npgsql_and_pgjdbc_lack_makes_the_conversion_weaker(string extra, string setting)
    {
        var text = Fill($"host=db.example.com user=tester sslmode=verify-full sslrootcert={{ca}} {extra}");
        foreach (var to in new[] { "npgsql", "pgjdbc" })
        {
            var outcome = Convert(text, "libpq", to);

            Assert.Equal(1, outcome.ExitCode);
            Assert.Contains(outcome.Rendered!.Notes, n => n.Setting == setting && n.Effect == ConversionEffect.Weaker);
        }
    }

    [Fact]
    public void Libpq_require_with_a_default_root_file_verifies_the_chain_and_npgsql_is_told_to_as_well()
    {
        // libpq verifies the chain under require when ~/.postgresql/root.crt exists; Npgsql's Require never does, so
        // the converted string must say VerifyCA with that file to keep the protection.
        Directory.CreateDirectory(Path.Combine(_fx.Home, ".postgresql"));
        var root = Path.Combine(_fx.Home, ".postgresql", "root.crt");
        File.Copy(_ca, root);

        var outcome = Convert("host=db.example.com user=tester sslmode=require", "libpq", "npgsql");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("SSL Mode=VerifyCA", outcome.Rendered!.Text, StringComparison.Ordinal);
        Assert.Contains($"Root Certificate={root}", outcome.Rendered.Text, StringComparison.Ordinal);
        Assert.Equal(VerificationLevel.Chain, PolicyOf(outcome.Rendered.Text, "npgsql").Verification);
    }

    [Fact]
    public void Npgsql_require_to_pgjdbc_stays_unverified_and_says_nothing_is_lost()
    {
        var outcome = Convert("Host=db.example.com;Username=tester;SSL Mode=Require", "npgsql", "pgjdbc");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("sslmode=require", outcome.Rendered!.Text, StringComparison.Ordinal);
        Assert.Equal(VerificationLevel.None, PolicyOf(outcome.Rendered.Text, "pgjdbc").Verification);
    }

    public static TheoryData<string> MongoSources() =>
    [
        "mongodb://db.example.com/app?tls=true",
        "mongodb://db.example.com/app?tls=false",
        "mongodb://db.example.com/app?tls=true&tlsCAFile={ca}",
        "mongodb://db.example.com/app?tls=true&tlsCAFile={ca}&tlsAllowInvalidHostnames=true",
        "mongodb://db.example.com/app?tls=true&tlsAllowInvalidCertificates=true",
        "mongodb://db.example.com/app?tls=true&tlsInsecure=true",
        "mongodb://db.example.com/app?tls=true&replicaSet=rs0&authSource=admin",
    ];

    [Theory]
    [MemberData(nameof(MongoSources))]
    public void Mongodb_and_pymongo_round_trip_to_the_same_policy(string template)
    {
        var text = Fill(template);
        foreach (var (from, to) in new[] { ("mongodb", "pymongo"), ("pymongo", "mongodb") })
        {
            var there = Convert(text, from, to);
            Assert.True(ConversionChecks.Exact(there), $"{from} → {to} of {text}: {string.Join("; ", there.Rendered!.Notes.Concat(there.Differences).Select(n => n.Message))}");
            var back = Convert(there.Rendered!.Text, to, from);
            Assert.Equal(ConversionChecks.Fields(PolicyOf(text, from)), ConversionChecks.Fields(PolicyOf(back.Rendered!.Text, from)));
        }
    }

    [Fact]
    public void Pymongo_keyword_arguments_are_carried_into_the_uri()
    {
        // MongoClient("mongodb://db/", tlsCAFile=..., tlsAllowInvalidHostnames=true): the keywords win over the URI,
        // so the URI written for another driver must hold them.
        var outcome = Convert("mongodb://db.example.com/?tls=false", "pymongo", "mongodb",
            [new("tls", "true"), new("tlsCAFile", _ca), new("tlsAllowInvalidHostnames", "true")]);

        Assert.Equal(0, outcome.ExitCode);
        var policy = PolicyOf(outcome.Rendered!.Text, "mongodb");
        Assert.Equal(EncryptionMode.TlsFirst, policy.Encryption);
        Assert.Equal(VerificationLevel.Chain, policy.Verification);
        Assert.Equal(new TrustSource.PemFile(_ca), policy.Trust);
    }
}
