using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Dialects.Libpq;
using DbTls.Dialects.Npgsql;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.Npgsql;

/// <summary>Npgsql 10's reading of its connection strings (NpgsqlConnectionStringBuilder, NpgsqlConnector, PostgresEnvironment at v10.0.3).</summary>
public sealed class NpgsqlConnectionStringTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-npgsql-home-").FullName;

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        GC.SuppressFinalize(this);
    }

    private NpgsqlConnection Parse(string connectionString, params (string Name, string Value)[] variables) =>
        NpgsqlConnectionString.Parse(connectionString,
            new LibpqEnvironment(variables.ToImmutableDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal), _home, "alice"));

    [Theory]
    [InlineData("Host=db;SSL Mode=VerifyFull")]
    [InlineData("host=db;sslmode=verifyfull")]
    [InlineData("SERVER=db;SslMode=VERIFYFULL")]
    [InlineData("Host=db;Ssl Mode=5")]
    [InlineData("Host=db; SSL Mode = ' VerifyFull '")]
    public void Keywords_synonyms_case_and_enum_numbers_read_as_Npgsql_does(string connectionString)
    {
        var spec = Parse(connectionString).Spec;

        Assert.Equal("db", spec.Host);
        Assert.Equal("VerifyFull", spec.SslMode);
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal(EncryptionMode.Required, spec.Tls.Encryption);
        Assert.Equal(ChainEngine.DotNet, spec.Tls.ChainEngine);
    }

    [Theory]
    [InlineData("Host=db;SSL Mode=verify-full", "SSL Mode")]
    [InlineData("Host=db;sslrootcert=/x", "sslrootcert")]
    [InlineData("Host=db;Trust Server Certificate=yes", "Trust Server Certificate")]
    [InlineData("Host=db;Timeout=abc", "Timeout")]
    [InlineData("Database=app", "Host is required")]
    [InlineData("Host=a,b", "multiple hosts")]
    [InlineData("Host=db;SSL Mode=Prefer;SSL Negotiation=Direct", "direct SSL Negotiation")]
    public void Strings_Npgsql_refuses_are_config_errors(string connectionString, string expected)
    {
        var e = Assert.Throws<DbTlsException>(() => Parse(connectionString));

        Assert.Equal(FindingCodes.ConfigInvalid, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefer_is_the_default_and_never_verifies()
    {
        var spec = Parse("Host=db").Spec;

        Assert.Equal("Prefer", spec.SslMode);
        Assert.Equal(EncryptionMode.Opportunistic, spec.Tls.Encryption);
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.False(spec.Tls.FallBackOnHandshakeFailure);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.TlsOpportunistic);
    }

    [Fact]
    public void Require_with_a_root_certificate_still_does_not_verify_and_says_so()
    {
        var spec = Parse("Host=db;SSL Mode=Require;Root Certificate=/etc/ca.pem").Spec;

        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.CertNotVerified);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("libpq would verify", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_modes_trust_the_root_certificate_alone_or_the_system_store()
    {
        Assert.Equal(new TrustSource.PemFile("/etc/ca.pem"), Parse("Host=db;SSL Mode=VerifyCA;Root Certificate=/etc/ca.pem").Spec.Tls.Trust);
        Assert.Equal(VerificationLevel.Chain, Parse("Host=db;SSL Mode=VerifyCA").Spec.Tls.Verification);
        Assert.Equal(TrustSource.System, Parse("Host=db;SSL Mode=VerifyFull").Spec.Tls.Trust);
    }

    [Fact]
    public void PGSSLROOTCERT_and_the_default_root_file_are_read_but_PGSSLMODE_and_PGHOST_are_not()
    {
        var fromVariable = Parse("Host=db;SSL Mode=VerifyFull", ("PGSSLROOTCERT", "/env/ca.pem"), ("PGSSLMODE", "disable"), ("PGHOST", "other"));
        Assert.Equal(new TrustSource.PemFile("/env/ca.pem"), fromVariable.Spec.Tls.Trust);
        Assert.Equal("db", fromVariable.Spec.Host);
        Assert.Equal(EncryptionMode.Required, fromVariable.Spec.Tls.Encryption);
        Assert.Contains("PGSSLROOTCERT=/env/ca.pem", fromVariable.Spec.Sources);

        Directory.CreateDirectory(Path.Combine(_home, ".postgresql"));
        var root = Path.Combine(_home, ".postgresql", "root.crt");
        File.WriteAllText(root, "not read at parse time");
        Assert.Equal(new TrustSource.PemFile(root), Parse("Host=db;SSL Mode=VerifyFull").Spec.Tls.Trust);
    }

    [Fact]
    public void Host_with_port_user_database_and_timeout_defaults()
    {
        var spec = Parse("Host=db.example.com:6432;Port=7000", ("PGUSER", "bob")).Spec;

        Assert.Equal(("db.example.com", 6432), (spec.Host, spec.Port));
        Assert.Equal("bob", spec.User);
        Assert.Equal("bob", spec.Database);
        Assert.Equal(TimeSpan.FromSeconds(15), spec.ConnectTimeout);
        Assert.Null(Parse("Host=db;Timeout=0").Spec.ConnectTimeout);
        Assert.Equal("alice", Parse("Host=db").Spec.User);
    }

    [Fact]
    public void Trust_Server_Certificate_is_accepted_and_named_obsolete()
    {
        var spec = Parse("Host=db;SSL Mode=VerifyFull;Trust Server Certificate=true").Spec;

        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Message.Contains("obsolete", StringComparison.Ordinal));
    }

    [Fact]
    public void Client_certificate_pem_takes_its_key_and_pfx_holds_its_own()
    {
        var pem = Parse("Host=db;SSL Certificate=/c.crt;SSL Key=/c.key;SSL Password=kpw").Spec.Tls.ClientCertificate!;
        Assert.Equal(("/c.crt", "/c.key"), (pem.CertificatePath, pem.KeyPath));
        Assert.Equal("kpw", pem.KeyPassword!.Reveal());

        Assert.Null(Parse("Host=db;SSL Certificate=/c.PFX;SSL Key=/c.key").Spec.Tls.ClientCertificate!.KeyPath);
        Assert.Null(Parse("Host=db;SSL Mode=Disable;SSL Certificate=/c.crt").Spec.Tls.ClientCertificate);
    }

    [Theory]
    [InlineData("Host=db;Password=s3cret;SSL Mode=Require", "Host=db;Password=********;SSL Mode=Require")]
    [InlineData("Host=db;PWD='a;b';SSL Password=k3y", "Host=db;PWD=********;SSL Password=********")]
    [InlineData("Host=db;sslpassword=k3y;psw=p", "Host=db;sslpassword=********;psw=********")]
    [InlineData("Host=db;Password=a;b=c;Port=5", "Host=db;Password=********;Port=5")]
    public void Redaction_masks_every_secret_by_keyword(string connectionString, string expected)
    {
        Assert.Equal(expected, NpgsqlRedactor.Redact(connectionString));
        Assert.Equal(expected, DialectRegistry.Default.Find("npgsql")!.Redact(connectionString));
    }

    [Fact]
    public void Summary_speaks_Npgsql_keywords()
    {
        Assert.Equal("SSL Mode=VerifyFull;Root Certificate=/ca.pem", Parse("Host=db;SSL Mode=VerifyFull;Root Certificate=/ca.pem").Summary);
        Assert.Equal("SSL Mode=Require;SSL Negotiation=Direct", Parse("Host=db;SSL Mode=Require;SSL Negotiation=Direct").Summary);
        Assert.Equal("SSL Mode=Prefer", Parse("Host=db").Summary);
    }
}
