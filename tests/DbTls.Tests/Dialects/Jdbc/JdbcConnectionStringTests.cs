using DbTls.Diagnostics;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.Jdbc;

public class JdbcConnectionStringTests
{
    [Theory]
    [InlineData("jdbc:sqlserver://db.example.com", "db.example.com", 1433, null)]
    [InlineData("jdbc:sqlserver://db:1500", "db", 1500, null)]
    [InlineData("jdbc:sqlserver://db:1500;", "db", 1500, null)]
    [InlineData(@"jdbc:sqlserver://db\Inst:1500", "db", 1500, "inst")]
    [InlineData(@"jdbc:sqlserver://db\Inst:1500;encrypt=true", "db", 1500, "inst")]
    [InlineData("jdbc:sqlserver://;serverName=db;portNumber=1501", "db", 1501, null)]
    [InlineData("jdbc:sqlserver://;server=db;port=1502", "db", 1502, null)]
    [InlineData("jdbc:sqlserver://;SERVERNAME=db;PortNumber=1503", "db", 1503, null)]
    [InlineData(@"jdbc:sqlserver://;serverName=db\named;portNumber=1504", "db", 1504, "named")]
    [InlineData(@"jdbc:sqlserver://db\fromurl:1505;instanceName=fromprop", "db", 1505, "fromprop")]
    [InlineData("jdbc:sqlserver://first:1506;serverName=second", "second", 1506, null)]
    [InlineData("jdbc:sqlserver://;serverName=fe80::1;portNumber=1507", "fe80::1", 1507, null)]
    [InlineData("jdbc:sqlserver:// db :1508 ;", "db", 1508, null)]
    [InlineData("jdbc:sqlserver://db:0", "db", 1433, null)]
    [InlineData("jdbc:sqlserver://", "localhost", 1433, null)]
    public void Server_instance_and_port(string url, string host, int port, string? instance)
    {
        var spec = JdbcConnectionString.Parse(url);
        Assert.Equal(host, spec.Host);
        Assert.Equal(port, spec.Port);
        Assert.Equal(instance, spec.Instance);
    }

    [Theory]
    [InlineData("jdbc:sqlserver://db;databaseName=sales;user=u", "sales", "u")]
    [InlineData("jdbc:sqlserver://db;database=sales;userName=u", "sales", "u")]
    [InlineData("jdbc:sqlserver://db;DATABASENAME=sales;USER=u", "sales", "u")]
    [InlineData("jdbc:sqlserver://db;databaseName={a;b}}c};user= u ", "a;b}c", "u")]
    [InlineData("jdbc:sqlserver://db;databaseName={ padded } ;user={}", " padded ", "")]
    public void Properties_are_case_insensitive_with_synonyms_and_braces(string url, string database, string user)
    {
        var spec = JdbcConnectionString.Parse(url);
        Assert.Equal(database, spec.Database);
        Assert.Equal(user, spec.User);
    }

    [Theory]
    [InlineData("jdbc:sqlserver://db;uid=u")]
    [InlineData("jdbc:sqlserver://db;somethingUnrelated=true")]
    public void Unknown_properties_are_dropped_with_a_note(string url)
    {
        var spec = JdbcConnectionString.Parse(url);
        Assert.Null(spec.User);
        Assert.Equal(TdsPreloginEncryption.On, spec.PreloginEncryption);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "is ignored, as the JDBC driver ignores it"));
    }

    [Fact]
    public void A_misspelt_tls_property_is_dropped_with_a_warning_that_names_it()
    {
        // encrypted=true: the driver drops it (and encrypts by default anyway); the typo is named, not just noted.
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db;encrypted=true");
        Assert.Equal(TdsPreloginEncryption.On, spec.PreloginEncryption);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigWarning, "did you mean \"encrypt\"? The TLS setting \"encrypt\" does not apply"));
    }

    [Theory]
    [InlineData("JDBC:SQLSERVER://db")]
    [InlineData("jdbc:postgresql://db")]
    [InlineData("jdbc:sqlserver://db;encrypt")]
    [InlineData("jdbc:sqlserver://db;=x")]
    [InlineData("jdbc:sqlserver://db;user=x{y}")]
    [InlineData("jdbc:sqlserver://db;user={a}b")]
    [InlineData("jdbc:sqlserver://db=x")]
    [InlineData(@"jdbc:sqlserver://db\inst")]
    [InlineData(@"jdbc:sqlserver://db;instanceName=inst")]
    [InlineData("jdbc:sqlserver://db:port")]
    [InlineData("jdbc:sqlserver://db:70000")]
    [InlineData("jdbc:sqlserver://db;portNumber=-1")]
    [InlineData("jdbc:sqlserver://db;encrypt=maybe")]
    [InlineData("jdbc:sqlserver://db;trustServerCertificate=yes")]
    [InlineData("jdbc:sqlserver://db;loginTimeout=-1")]
    [InlineData("jdbc:sqlserver://db;loginTimeout=65536")]
    [InlineData("jdbc:sqlserver://db;loginTimeout=soon")]
    [InlineData("jdbc:sqlserver://db;sslProtocol=SSLv3")]
    [InlineData("jdbc:sqlserver://db;integratedSecurity=true")]
    [InlineData("jdbc:sqlserver://db;authentication=ActiveDirectoryPassword")]
    [InlineData("jdbc:sqlserver://db;trustManagerClass=com.example.Trust")]
    [InlineData("jdbc:sqlserver://db;clientCertificate=/c.pem")]
    [InlineData("jdbc:sqlserver://db;fips=true")]
    [InlineData("jdbc:sqlserver://db;trustStoreType=BCFKS;trustStore=/x")]
    [InlineData("jdbc:sqlserver://;serverName=")]
    public void Invalid_urls_are_config_invalid(string url) =>
        TdsSpecAssert.Invalid(() => JdbcConnectionString.Parse(url + ";password={Sup3r;Secret}"), "Sup3r");

    [Fact]
    public void Unterminated_brace_is_invalid_and_names_only_the_property()
    {
        var error = TdsSpecAssert.Invalid(() => JdbcConnectionString.Parse("jdbc:sqlserver://db;password={Sup3r;Secret"), "Sup3r");
        Assert.Contains("\"password\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Instance_without_port_names_the_browser_and_the_fix()
    {
        var error = TdsSpecAssert.Invalid(() => JdbcConnectionString.Parse(@"jdbc:sqlserver://db\sqlexpress"));
        Assert.Contains("SQL Server Browser", error.Message, StringComparison.Ordinal);
        Assert.Contains("portNumber", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false", (int)JdbcEncrypt.False)]
    [InlineData("no", (int)JdbcEncrypt.False)]
    [InlineData("Optional", (int)JdbcEncrypt.False)]
    [InlineData("true", (int)JdbcEncrypt.True)]
    [InlineData("YES", (int)JdbcEncrypt.True)]
    [InlineData("mandatory", (int)JdbcEncrypt.True)]
    [InlineData("Strict", (int)JdbcEncrypt.Strict)]
    public void Encrypt_values(string value, int expectedValue)
    {
        var expected = (JdbcEncrypt)expectedValue; // an int in the signature: the enum is internal and a public test method cannot take it
        var spec = JdbcConnectionString.Parse($"jdbc:sqlserver://db;encrypt={value}");
        Assert.Equal(expected switch { JdbcEncrypt.False => TdsPreloginEncryption.Off, JdbcEncrypt.True => TdsPreloginEncryption.On, _ => TdsPreloginEncryption.NotSupported }, spec.PreloginEncryption);
        Assert.StartsWith($"encrypt={expected.ToString().ToLowerInvariant()}", spec.PolicySummary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    [InlineData("strict")]
    public void Answers_outside_the_four_defined_values_are_invalid_tds_in_every_mode(string encrypt) =>
        TdsSpecAssert.Rule(JdbcConnectionString.Parse($"jdbc:sqlserver://db;encrypt={encrypt}").ServerAnswers.For(0x04), TdsAnswerAction.Fail, false);

    [Theory]
    [InlineData(null, TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls13, false)]
    [InlineData("TLS", TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls13, false)]
    [InlineData("tlsv1.3", TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls13, false)]
    [InlineData("TLSv1.2", TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls12, false)]
    [InlineData("TLSv1.1", TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls11, true)]
    [InlineData("TLSv1", TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls10, true)]
    public void Ssl_protocol_sets_the_version_range_and_legacy_only_when_asked(string? sslProtocol, TlsProtocolVersion min, TlsProtocolVersion max, bool legacy)
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db" + (sslProtocol is null ? "" : $";sslProtocol={sslProtocol}"));
        Assert.Equal(min, spec.Tls.MinProtocol);
        Assert.Equal(max, spec.Tls.MaxProtocol);
        Assert.Equal(legacy, spec.Findings.Any(f => f.Code == FindingCodes.TlsWeakProtocol && f.Severity == Severity.Warning));
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("0", 30)]
    [InlineData("15", 15)]
    [InlineData("65535", 65535)]
    public void Login_timeout(string? value, int seconds)
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db" + (value is null ? "" : $";loginTimeout={value}"));
        Assert.Equal(TimeSpan.FromSeconds(seconds), spec.LoginTimeout);
        Assert.Null(spec.ConnectTimeout);
    }

    [Theory]
    [InlineData("db.example.com", true)]
    [InlineData("localhost", false)]
    [InlineData("db", false)]
    [InlineData("db.example.com.", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("fe80::1", false)]
    public void Sni_follows_jsse(string host, bool sni) =>
        Assert.Equal(sni, JdbcConnectionString.Parse($"jdbc:sqlserver://;serverName={host}").Tls.SendSni);

    [Fact]
    public void Server_certificate_is_ignored_without_strict()
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db;encrypt=true;serverCertificate=/s.pem");
        Assert.Null(spec.Tls.PinnedCertificatePath);
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "serverCertificate is ignored unless encrypt=strict"));
    }

    [Fact]
    public void Jks_trust_store_type_is_rejected_with_the_conversion_command()
    {
        var error = TdsSpecAssert.Invalid(() => JdbcConnectionString.Parse("jdbc:sqlserver://db;trustStore=/etc/ts.jks;trustStoreType=JKS"));
        Assert.Equal("JKS trust stores are not supported; convert with keytool -importkeystore to PKCS12", error.Message);
        Assert.Contains("keytool -importkeystore -srckeystore /etc/ts.jks -srcstoretype JKS", error.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jks_file_is_rejected_whatever_the_declared_type()
    {
        using var dir = new TempDirectory();
        // A JKS file starts with the magic 0xFEEDFEED and version 2.
        var jks = dir.Write("ts.jks", new byte[] { 0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0, 0, 0, 0 });
        TdsSpecAssert.Invalid(() => JdbcConnectionString.Parse($"jdbc:sqlserver://db;trustStore={jks}"));
        TdsSpecAssert.Invalid(() => JdbcConnectionString.Parse($"jdbc:sqlserver://db;trustStore={jks};trustStoreType=PKCS12"));
    }

    [Fact]
    public void Missing_trust_store_means_an_empty_one()
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db;trustStore=/nonexistent/ts.p12;trustStoreType=pkcs12");
        Assert.Equal(new TrustSource.Pkcs12Store("/nonexistent/ts.p12", null), spec.Tls.Trust);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "empty trust store"));
    }

    [Fact]
    public void Empty_host_name_in_certificate_is_kept_and_noted()
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db;hostNameInCertificate=");
        Assert.Equal(string.Empty, spec.Tls.ExpectedHostName);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "empty name"));
    }

    [Fact]
    public void Defaults_and_sources()
    {
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db.example.com");
        Assert.Equal("jdbc", spec.Dialect);
        Assert.Equal(HostNameRules.Jdbc, spec.Tls.HostNameRules);
        Assert.Equal(ClientCertificateMode.Disabled, spec.Tls.ClientCertificateMode);
        Assert.False(spec.Tls.Revocation.Enabled);
        Assert.Empty(spec.Tls.Alpn);
        Assert.Equal("encrypt=true; trustServerCertificate=false", spec.PolicySummary);
        Assert.Contains(spec.Sources, s => s.StartsWith("loginTimeout=30", StringComparison.Ordinal));
        Assert.Contains(spec.Sources, s => s.StartsWith("port 1433", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jdbc:sqlserver://db;user=u;password=S3cr3t-pw", "jdbc:sqlserver://db;user=u;password=********")]
    [InlineData("jdbc:sqlserver://db;password={S3cr3t-pw;x}}y};user=u", "jdbc:sqlserver://db;password=********;user=u")]
    [InlineData("jdbc:sqlserver://db;PASSWORD = S3cr3t-pw ;trustStorePassword=S3cr3t-pw", "jdbc:sqlserver://db;PASSWORD = ******** ;trustStorePassword=********")]
    [InlineData("jdbc:sqlserver://db;clientKeyPassword=S3cr3t-pw;keyStoreSecret={S3cr3t-pw}", "jdbc:sqlserver://db;clientKeyPassword=********;keyStoreSecret=********")]
    public void Secrets_are_redacted_everywhere(string url, string redacted)
    {
        var spec = JdbcConnectionString.Parse(url);
        Assert.Equal(redacted, spec.RedactedConnectionString);
        TdsSpecAssert.NoSecret(spec, "S3cr3t");
    }

    [Fact]
    public void Trust_store_password_is_a_secret_in_the_policy()
    {
        using var dir = new TempDirectory();
        var store = dir.Write("ts.p12", [0x30, 0x82]);
        var spec = JdbcConnectionString.Parse($"jdbc:sqlserver://db;trustStore={store};trustStorePassword=St0reSecret");
        Assert.Equal("St0reSecret", Assert.IsType<TrustSource.Pkcs12Store>(spec.Tls.Trust).Password?.Reveal());
        TdsSpecAssert.NoSecret(spec, "St0reSecret");
    }

    [Fact]
    public void Text_after_an_unbraced_password_with_a_semicolon_is_never_echoed()
    {
        TdsSpecAssert.Invalid(() => JdbcConnectionString.Parse("jdbc:sqlserver://db;password=abc;defgh;user=u"), "defgh");
        var spec = JdbcConnectionString.Parse("jdbc:sqlserver://db;password=abc;defgh=1;user=u");
        Assert.Equal("jdbc:sqlserver://db;password=********;********;user=u", spec.RedactedConnectionString);
        TdsSpecAssert.NoSecret(spec, "defgh");
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "must be written in braces"));
    }
}
