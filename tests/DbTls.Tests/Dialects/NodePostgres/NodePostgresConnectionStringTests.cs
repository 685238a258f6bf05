using DbTls.Conversion;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Dialects.NodePostgres;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Dialects.NodePostgres;

/// <summary>
/// How the node-postgres dialect reads strings (the rules NodePostgresParityTests measures against the real pg, here
/// pinned case by case without a server), and explain / convert between libpq and node-postgres.
/// </summary>
public sealed class NodePostgresConnectionStringTests : IDisposable
{
    private readonly string _directory = OwnedTempDirectory.Create("dbtls-nodepg-unit-");

    public NodePostgresConnectionStringTests()
    {
        using var root = CertFactory.CreateRoot();
        File.WriteAllText(Root, root.CertificatePem);
    }

    public void Dispose() => OwnedTempDirectory.TryDelete(_directory);

    private string Root => Path.Combine(_directory, "root.crt");

    private static IConnectionDialect Dialect => DialectRegistry.Default.Find("node-postgres")!;

    private static TlsPolicy Policy(string text, Dictionary<string, string>? variables = null) =>
        NodePostgresConnectionString.Parse(text, new CheckEnvironment(variables ?? []) { OsUserName = "tester" }).Spec.Tls;

    [Theory]
    [InlineData("", EncryptionMode.Disabled, VerificationLevel.None)]
    [InlineData("sslmode=disable", EncryptionMode.Disabled, VerificationLevel.None)]
    [InlineData("sslmode=prefer", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("sslmode=require", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("sslmode=verify-ca", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("sslmode=allow", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("sslmode=no-verify", EncryptionMode.Required, VerificationLevel.None)]
    [InlineData("uselibpqcompat=true&sslmode=prefer", EncryptionMode.Required, VerificationLevel.None)]
    [InlineData("uselibpqcompat=true&sslmode=require", EncryptionMode.Required, VerificationLevel.None)]
    [InlineData("uselibpqcompat=true&sslmode=no-verify", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("uselibpqcompat=TRUE&sslmode=require", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("ssl=true", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("ssl=1", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("ssl=0", EncryptionMode.Disabled, VerificationLevel.None)]
    [InlineData("ssl=0&sslmode=require", EncryptionMode.Required, VerificationLevel.ChainAndHostName)]
    [InlineData("ssl=no-verify", EncryptionMode.Required, VerificationLevel.None)]
    [InlineData("sslnegotiation=direct", EncryptionMode.TlsFirst, VerificationLevel.ChainAndHostName)]
    public void Sslmode_ssl_and_uselibpqcompat_mean_what_pg_makes_of_them(string query, EncryptionMode encryption, VerificationLevel verification)
    {
        var policy = Policy("postgres://app@db.example.com/app" + (query.Length > 0 ? "?" + query : ""));

        Assert.Equal(encryption, policy.Encryption);
        Assert.Equal(verification, policy.Verification);
        Assert.False(policy.FallBackOnHandshakeFailure);
        Assert.Equal(HostNameRules.NodeTls, policy.HostNameRules);
        Assert.Equal(ChainEngine.OpenSsl, policy.ChainEngine);
    }

    [Fact]
    public void A_root_file_is_the_only_trust_and_with_uselibpqcompat_require_checks_the_chain_only()
    {
        var full = Policy($"postgres://app@db.example.com/app?sslmode=require&sslrootcert={Root}");
        var compat = Policy($"postgres://app@db.example.com/app?uselibpqcompat=true&sslmode=require&sslrootcert={Root}");

        Assert.Equal(new TrustSource.PemFile(Root), full.Trust);
        Assert.Equal(VerificationLevel.ChainAndHostName, full.Verification);
        Assert.Equal(VerificationLevel.Chain, compat.Verification);
        Assert.Equal(TrustSource.System, Policy("postgres://app@db.example.com/app?sslmode=verify-full").Trust);
    }

    [Theory]
    [InlineData("prefer", VerificationLevel.ChainAndHostName)]
    [InlineData("verify-ca", VerificationLevel.ChainAndHostName)]
    [InlineData("no-verify", VerificationLevel.None)]
    public void Without_tls_settings_in_the_string_only_PGSSLMODE_is_read(string mode, VerificationLevel verification)
    {
        var policy = Policy("postgres://app@db.example.com/app", new() { ["PGSSLMODE"] = mode, ["PGSSLROOTCERT"] = "/nonexistent/root.crt" });

        Assert.Equal(EncryptionMode.Required, policy.Encryption);
        Assert.Equal(verification, policy.Verification);
        Assert.Equal(TrustSource.System, policy.Trust);
        Assert.Equal(EncryptionMode.Disabled, Policy("postgres://app@db.example.com/app", new() { ["PGSSLMODE"] = "allow" }).Encryption);
    }

    [Theory]
    [InlineData("ssl=false", FindingCodes.ConfigInvalid)]
    [InlineData("ssl=yes", FindingCodes.ConfigInvalid)]
    [InlineData("uselibpqcompat=true&sslmode=verify-ca", FindingCodes.ConfigInvalid)]
    [InlineData("sslnegotiation=direct&sslmode=disable", FindingCodes.ConfigInvalid)]
    [InlineData("sslnegotiation=tls", FindingCodes.ConfigInvalid)]
    [InlineData("sslmode=verify-full&sslrootcert=/nonexistent/root.crt", FindingCodes.CertRootFileMissing)]
    [InlineData("sslmode=verify-full&sslcert=/nonexistent/client.crt", FindingCodes.ConfigInvalid)]
    public void Strings_pg_cannot_connect_with_are_refused_with_a_stable_code(string query, string code)
    {
        var e = Assert.Throws<DbTlsException>(() => Policy("postgres://app@db.example.com/app?" + query));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public void The_uri_gives_host_port_user_database_and_the_environment_fills_the_rest()
    {
        var spec = NodePostgresConnectionString.Parse("postgres://al%40ice:s3cret@[::1]:6543/my%20db?sslmode=no-verify", new CheckEnvironment(new Dictionary<string, string>())).Spec;
        Assert.Equal(("::1", 6543, "al@ice", "my db", "s3cret"), (spec.Host, spec.Port, spec.User, spec.Database, spec.Password!.Reveal()));
        Assert.False(spec.Tls.SendSni);

        var defaults = NodePostgresConnectionString.Parse("postgres://", new CheckEnvironment(new Dictionary<string, string>
        {
            ["PGHOST"] = "pg.example.com",
            ["PGPORT"] = "5433",
            ["PGUSER"] = "bob",
            ["PGPASSWORD"] = "pw",
        })).Spec;
        Assert.Equal(("pg.example.com", 5433, "bob", "bob", "pw"), (defaults.Host, defaults.Port, defaults.User, defaults.Database, defaults.Password!.Reveal()));
        Assert.True(defaults.Tls.SendSni);
    }

    [Fact]
    public void A_raw_plus_in_a_query_value_is_a_space()
    {
        var plus = Path.Combine(_directory, "a+b.crt");
        File.WriteAllText(plus, "x");
        var e = Assert.Throws<DbTlsException>(() => Policy($"postgres://app@h/app?sslmode=verify-full&sslrootcert={plus}"));

        Assert.Equal(FindingCodes.CertRootFileMissing, e.Code);
        Assert.Contains("a b.crt", e.Message, StringComparison.Ordinal);
        Assert.Equal(new TrustSource.PemFile(plus), Policy($"postgres://app@h/app?sslmode=verify-full&sslrootcert={plus.Replace("+", "%2B", StringComparison.Ordinal)}").Trust);
    }

    [Fact]
    public void The_dialect_claims_no_string_by_itself_and_masks_passwords()
    {
        Assert.Equal("libpq", DialectRegistry.Default.Detect("postgres://app@db.example.com/app?sslmode=require").Name);
        var redacted = Dialect.Redact("postgres://app:Very-Secret-1@db.example.com/app?sslmode=require&password=Other-Secret-2");

        Assert.DoesNotContain("Very-Secret-1", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("Other-Secret-2", redacted, StringComparison.Ordinal);
        Assert.Contains("db.example.com", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_says_require_means_verify_full_and_warns()
    {
        var description = ((IDescribableDialect)Dialect).Describe("postgres://app@db.example.com/app?sslmode=require", new CheckEnvironment(new Dictionary<string, string>()) { OsUserName = "tester" });

        Assert.StartsWith("sslmode=require, treated as verify-full", description.PolicySummary, StringComparison.Ordinal);
        Assert.Contains(description.Findings, f => f.Code == FindingCodes.LintSslmodeAlias && f.Severity == Severity.Warning && f.Message.Contains("uselibpqcompat", StringComparison.Ordinal));
        Assert.Contains("sslmode", description.WrittenKeywords);
    }

    [Theory]
    [InlineData("host=db.example.com user=app dbname=app sslmode=require", "sslmode=no-verify")]
    [InlineData("host=db.example.com user=app dbname=app sslmode=verify-ca sslrootcert=ROOT", "uselibpqcompat=true&sslmode=verify-ca&sslrootcert=")]
    [InlineData("host=db.example.com user=app dbname=app sslmode=verify-full sslrootcert=ROOT", "?sslmode=verify-full&sslrootcert=")]
    [InlineData("host=db.example.com user=app dbname=app sslmode=disable", "?sslmode=disable")]
    public void Libpq_converts_to_node_postgres_and_reads_back_without_loss(string libpq, string expected)
    {
        var outcome = Convert(libpq.Replace("ROOT", Root, StringComparison.Ordinal), "libpq", "node-postgres");

        Assert.Null(outcome.Failure);
        Assert.StartsWith("postgres://app@db.example.com:5432/app?", outcome.Rendered!.Text, StringComparison.Ordinal);
        Assert.Contains(expected, outcome.Rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Differences, d => d.Effect == ConversionEffect.Weaker);
    }

    [Fact]
    public void Libpq_prefer_becomes_stronger_in_node_postgres_which_never_falls_back()
    {
        var outcome = Convert("host=db.example.com user=app dbname=app sslmode=prefer", "libpq", "node-postgres");

        Assert.Contains(outcome.Rendered!.Notes, n => n.Setting == "sslmode" && n.Effect == ConversionEffect.Stronger);
        Assert.False(outcome.IsWeaker);
    }

    [Fact]
    public void Node_postgres_require_converts_to_libpq_verify_full()
    {
        var outcome = Convert($"postgres://app@db.example.com/app?sslmode=require&sslrootcert={Root}", "node-postgres", "libpq");

        Assert.Null(outcome.Failure);
        Assert.Contains("sslmode=verify-full", outcome.Rendered!.Text, StringComparison.Ordinal);
        Assert.Contains($"sslrootcert={Root}", outcome.Rendered.Text, StringComparison.Ordinal);
    }

    private static ConversionOutcome Convert(string text, string from, string to) =>
        ConnectionConverter.Convert(DialectRegistry.Default.Find(from)!, text, DialectRegistry.Default.Find(to)!, new CheckEnvironment(new Dictionary<string, string>()) { OsUserName = "tester" });
}
