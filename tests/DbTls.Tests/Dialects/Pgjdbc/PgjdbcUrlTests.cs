using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Dialects.Pgjdbc;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Dialects.Pgjdbc;

/// <summary>pgjdbc URL reading (Driver.parseURL), its TLS settings (SslMode.of, LibPQFactory) and redaction, without a server.</summary>
public sealed class PgjdbcUrlTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-pgjdbc-unit-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void Hosts_ports_database_and_properties_are_split_as_pgjdbc_does()
    {
        var url = PgjdbcUrl.Parse("jdbc:postgresql://db1:5433,[::1],:6000/my%20db?user=a+b&ssl&sslmode=require&sslmode=verify-ca");

        Assert.Equal([new PgjdbcHost("db1", 5433), new PgjdbcHost("[::1]", 5432), new PgjdbcHost("localhost", 6000)], url.Hosts.ToArray());
        Assert.Equal("my db", url.Database);
        Assert.Equal("a b", url.Get("user"));
        Assert.Equal("", url.Get("ssl"));
        Assert.Equal("verify-ca", url.Get("sslmode"));
    }

    [Theory]
    [InlineData("jdbc:postgresql:mydb", "localhost", 5432, "mydb")]
    [InlineData("jdbc:postgresql://", "localhost", 5432, null)]
    [InlineData("jdbc:postgresql://h/", "h", 5432, null)]
    public void Short_forms_take_pgjdbcs_defaults(string text, string host, int port, string? database)
    {
        var url = PgjdbcUrl.Parse(text);

        Assert.Equal(new PgjdbcHost(host, port), url.Hosts[0]);
        Assert.Equal(database, url.Database);
    }

    [Theory]
    [InlineData("jdbc:postgresql://h")]
    [InlineData("jdbc:postgresql://h/db/x")]
    [InlineData("jdbc:postgresql:/db")]
    [InlineData("jdbc:postgresql://h:99999/db")]
    [InlineData("jdbc:postgresql://h:x/db")]
    [InlineData("jdbc:postgresql://h/db?password=%zz")]
    [InlineData("postgresql://h/db")]
    public void Urls_pgjdbc_refuses_are_invalid_input(string text)
    {
        var ex = Assert.Throws<DbTlsException>(() => PgjdbcUrl.Parse(text));

        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Contains("No suitable driver found", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "prefer")]
    [InlineData("ssl=true", "verify-full")]
    [InlineData("ssl", "verify-full")]
    [InlineData("ssl=TRUE", "verify-full")]
    [InlineData("ssl=false", "prefer")]
    [InlineData("ssl=yes", "prefer")]
    [InlineData("ssl=true&sslmode=require", "require")]
    [InlineData("sslmode=VERIFY-CA", "verify-ca")]
    [InlineData("sslMode=verify-full", "prefer")]
    public void The_sslmode_in_effect_follows_SslMode_of(string query, string mode)
    {
        Assert.Equal(mode, PgjdbcSslRules.Mode(PgjdbcUrl.Parse($"jdbc:postgresql://h/db?{query}")).Mode);
    }

    [Fact]
    public void An_unknown_sslmode_is_refused_in_pgjdbcs_words()
    {
        var ex = Assert.Throws<DbTlsException>(() => PgjdbcSslRules.Mode(PgjdbcUrl.Parse("jdbc:postgresql://h/db?sslmode=strict")));

        Assert.Equal("Invalid sslmode value: strict", ex.Message);
    }

    [Fact]
    public void Require_verifies_nothing_even_with_the_default_root_file()
    {
        WriteDefaultRoot();

        var spec = Parse("jdbc:postgresql://db.example.com/db?user=u&sslmode=require");

        Assert.Equal(EncryptionMode.Required, spec.Tls.Encryption);
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.CertNotVerified);
    }

    [Fact]
    public void Ssl_true_verifies_chain_and_name_with_the_default_root_file_and_java_rules()
    {
        var root = WriteDefaultRoot();

        var spec = Parse("jdbc:postgresql://db.example.com/db?user=u&ssl=true");

        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal(new TrustSource.PemFile(root), spec.Tls.Trust);
        Assert.Equal(HostNameRules.Pgjdbc, spec.Tls.HostNameRules);
        Assert.Equal(ChainEngine.JavaPkix, spec.Tls.ChainEngine);
        Assert.Equal("verify-full (implied by ssl=true)", spec.SslMode);
        Assert.True(spec.Tls.SendSni);
    }

    [Fact]
    public void Verify_full_without_a_root_file_fails_instead_of_using_the_system_store()
    {
        var ex = Assert.Throws<DbTlsException>(() => Parse("jdbc:postgresql://h/db?user=u&sslmode=verify-full"));

        Assert.Equal(FindingCodes.CertRootFileMissing, ex.Code);
        Assert.Contains("root.crt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefer_does_not_fall_back_to_plaintext_when_the_handshake_fails()
    {
        var spec = Parse("jdbc:postgresql://localhost/db?user=u");

        Assert.Equal(EncryptionMode.Opportunistic, spec.Tls.Encryption);
        Assert.False(spec.Tls.FallBackOnHandshakeFailure);
        Assert.False(spec.Tls.SendSni); // JSSE sends no SNI for a name without a dot
    }

    [Fact]
    public void A_property_written_in_the_wrong_case_is_named_as_ignored()
    {
        var spec = Parse("jdbc:postgresql://h/db?user=u&sslMode=verify-full");

        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("did you mean \"sslmode\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_custom_socket_factory_is_refused_with_a_remedy()
    {
        var ex = Assert.Throws<DbTlsException>(() => Parse("jdbc:postgresql://h/db?user=u&sslfactory=com.example.MyFactory"));

        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Contains("sslfactory", ex.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Passwords_are_masked_by_property_not_by_text()
    {
        const string url = "jdbc:postgresql://h/db?user=password&password=s3cr%26t&sslpassword=k3y&sslmode=require";

        var redacted = new PgjdbcDialect().Redact(url);

        Assert.Equal("jdbc:postgresql://h/db?user=password&password=********&sslpassword=********&sslmode=require", redacted);
    }

    [Fact]
    public void The_registry_recognises_the_jdbc_postgresql_prefix_only()
    {
        Assert.Equal("pgjdbc", DialectRegistry.Default.Detect("jdbc:postgresql://h/db").Name);
        Assert.Equal("libpq", DialectRegistry.Default.Detect("postgresql://h/db").Name);
        Assert.Equal("jdbc", DialectRegistry.Default.Detect("jdbc:sqlserver://h").Name);
    }

    private DbTls.Dialects.Libpq.PostgresConnectionSpec Parse(string url) =>
        PgjdbcConnectionString.Parse(url, new CheckEnvironment(new Dictionary<string, string> { ["HOME"] = _home }) { OsUserName = "me" });

    private string WriteDefaultRoot()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_home, ".postgresql")).FullName;
        var path = Path.Combine(directory, "root.crt");
        using var root = CertFactory.CreateRoot();
        File.WriteAllText(path, root.CertificatePem);
        return path;
    }
}
