using DbTls.Diagnostics;
using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.SqlClient;

public class SqlClientConnectionStringTests
{
    private const string Secret = "Pa55;w0rd'x";

    [Fact]
    public void Defaults_are_SqlClient_4_and_later_Mandatory_with_validation()
    {
        var spec = SqlClientConnectionString.Parse("Server=db.example.com;User ID=app;Password=p");

        Assert.Equal("sqlclient", spec.Dialect);
        Assert.Equal("db.example.com", spec.Host);
        Assert.Equal(1433, spec.Port);
        Assert.Null(spec.Instance);
        Assert.Equal("app", spec.User);
        Assert.Equal(TimeSpan.FromSeconds(15), spec.LoginTimeout);
        Assert.Equal(TdsVersion.Tds74, spec.Version);
        Assert.False(spec.TlsFirst);
        Assert.Equal(TdsPreloginEncryption.On, spec.PreloginEncryption);
        Assert.True(spec.LoginOnlySkipsValidation);
        Assert.Equal(EncryptionMode.Required, spec.Tls.Encryption);
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal(TrustSource.System, spec.Tls.Trust);
        Assert.Equal(HostNameRules.SqlClient, spec.Tls.HostNameRules);
        Assert.Null(spec.Tls.ExpectedHostName);
        Assert.Null(spec.Tls.PinnedCertificatePath);
        Assert.True(spec.Tls.SendSni);
        Assert.Empty(spec.Tls.Alpn);
        Assert.Null(spec.Tls.MinProtocol);
        Assert.False(spec.Tls.Revocation.Enabled);
        Assert.Equal("Encrypt=Mandatory; TrustServerCertificate=False", spec.PolicySummary);
        Assert.Contains(spec.Sources, s => s.StartsWith("Encrypt=Mandatory (SqlClient's default", StringComparison.Ordinal));
        Assert.Contains(spec.Sources, s => s.StartsWith("Connect Timeout=15", StringComparison.Ordinal));
        Assert.Contains(spec.Sources, s => s.StartsWith("port 1433", StringComparison.Ordinal));
        Assert.DoesNotContain(spec.Findings, f => f.Severity != Severity.Info);
    }

    [Theory]
    [InlineData("true", (int)SqlClientEncrypt.Mandatory)]
    [InlineData("True", (int)SqlClientEncrypt.Mandatory)]
    [InlineData("YES", (int)SqlClientEncrypt.Mandatory)]
    [InlineData("mandatory", (int)SqlClientEncrypt.Mandatory)]
    [InlineData("Mandatory", (int)SqlClientEncrypt.Mandatory)]
    [InlineData("false", (int)SqlClientEncrypt.Optional)]
    [InlineData("no", (int)SqlClientEncrypt.Optional)]
    [InlineData("Optional", (int)SqlClientEncrypt.Optional)]
    [InlineData("strict", (int)SqlClientEncrypt.Strict)]
    [InlineData("STRICT", (int)SqlClientEncrypt.Strict)]
    public void Encrypt_values_and_synonyms(string value, int expectedValue)
    {
        var expected = (SqlClientEncrypt)expectedValue; // an int in the signature: the enum is internal and a public test method cannot take it
        var spec = SqlClientConnectionString.Parse($"Server=db;Encrypt={value}");
        var (prelogin, mode) = expected switch
        {
            SqlClientEncrypt.Optional => (TdsPreloginEncryption.Off, EncryptionMode.Opportunistic),
            SqlClientEncrypt.Mandatory => (TdsPreloginEncryption.On, EncryptionMode.Required),
            _ => (TdsPreloginEncryption.NotSupported, EncryptionMode.TlsFirst),
        };
        Assert.Equal(prelogin, spec.PreloginEncryption);
        Assert.Equal(mode, spec.Tls.Encryption);
        Assert.StartsWith($"Encrypt={expected}", spec.PolicySummary, StringComparison.Ordinal);
        Assert.DoesNotContain(spec.Sources, s => s.StartsWith("Encrypt=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Encrypt=maybe")]
    [InlineData("Encrypt=on")]
    [InlineData("Encrypt=1")]
    [InlineData("TrustServerCertificate=maybe")]
    [InlineData("Connect Timeout=-1")]
    [InlineData("Connect Timeout=ten")]
    [InlineData("Integrated Security=true")]
    [InlineData("Integrated Security=SSPI")]
    [InlineData("Authentication=ActiveDirectoryPassword")]
    [InlineData("Context Connection=true")]
    [InlineData("Bogus Keyword=1")]
    [InlineData("Trust  Server Certificate=true")]
    public void Invalid_settings_are_config_invalid(string setting) =>
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse($"Server=db;{setting};Password={Secret.Replace(";", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal)}"), "Pa55w0rdx");

    [Fact]
    public void Allowed_authentication_settings()
    {
        Assert.Equal("u", SqlClientConnectionString.Parse("Server=db;Authentication=SqlPassword;User ID=u").User);
        Assert.Equal("u", SqlClientConnectionString.Parse("Server=db;Authentication=Sql Password;User ID=u").User);
        Assert.Equal("u", SqlClientConnectionString.Parse("Server=db;Integrated Security=false;User ID=u").User);
        Assert.Equal("u", SqlClientConnectionString.Parse("Server=db;Trusted_Connection=no;User ID=u").User);
    }

    [Theory]
    [InlineData("Server=h", "h")]
    [InlineData("Data Source=h", "h")]
    [InlineData("Address=h", "h")]
    [InlineData("Addr=h", "h")]
    [InlineData("Network Address=h", "h")]
    [InlineData("SERVER=h", "h")]
    public void Data_source_synonyms(string setting, string host) =>
        Assert.Equal(host, SqlClientConnectionString.Parse(setting).Host);

    [Theory]
    [InlineData("User ID=u;Password=p;Initial Catalog=d")]
    [InlineData("UID=u;PWD=p;Database=d")]
    [InlineData("User=u;pwd=p;database=d")]
    [InlineData("user id=u;PASSWORD=p;initial catalog=d")]
    public void Login_synonyms(string settings)
    {
        var spec = SqlClientConnectionString.Parse("Server=db;" + settings);
        Assert.Equal("u", spec.User);
        Assert.Equal("p", spec.Password?.Reveal());
        Assert.Equal("d", spec.Database);
    }

    [Theory]
    [InlineData("TrustServerCertificate=true")]
    [InlineData("Trust Server Certificate=yes")]
    [InlineData("trustservercertificate=True")]
    public void Trust_server_certificate_synonyms_switch_validation_off(string setting)
    {
        var spec = SqlClientConnectionString.Parse($"Server=db;{setting}");
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.CertNotVerified && f.Severity == Severity.Warning);
        Assert.All(new[] { spec.ServerAnswers.Off, spec.ServerAnswers.On, spec.ServerAnswers.Required }, r => TdsSpecAssert.Rule(r, TdsAnswerAction.Encrypt, false));
    }

    [Theory]
    [InlineData("HostNameInCertificate=cert.example.com")]
    [InlineData("Host Name In Certificate=cert.example.com")]
    public void Host_name_in_certificate_synonyms(string setting) =>
        Assert.Equal("cert.example.com", SqlClientConnectionString.Parse($"Server=10.0.0.5;{setting}").Tls.ExpectedHostName);

    [Theory]
    [InlineData("Connect Timeout=30", 30)]
    [InlineData("Connection Timeout=5", 5)]
    [InlineData("Timeout=7", 7)]
    [InlineData("ConnectTimeout=9", 9)]
    [InlineData("Connect Timeout= 12 ", 12)]
    public void Timeout_synonyms(string setting, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SqlClientConnectionString.Parse($"Server=db;{setting}").LoginTimeout);

    [Fact]
    public void Connect_timeout_zero_means_no_limit()
    {
        var spec = SqlClientConnectionString.Parse("Server=db;Connect Timeout=0");
        Assert.Null(spec.LoginTimeout);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "without a time limit"));
    }

    [Fact]
    public void Last_value_wins_and_an_empty_value_restores_the_default()
    {
        Assert.Equal(TdsPreloginEncryption.Off, SqlClientConnectionString.Parse("Server=db;Encrypt=true;Encrypt=false").PreloginEncryption);
        Assert.Equal(TdsPreloginEncryption.On, SqlClientConnectionString.Parse("Server=db;Encrypt=false;Encrypt=;").PreloginEncryption);
        Assert.Equal("b", SqlClientConnectionString.Parse("Server=a;Data Source=b").Host);
    }

    [Fact]
    public void Optional_answer_table_is_TdsParser_ConsumePreLoginHandshake()
    {
        var spec = SqlClientConnectionString.Parse("Server=db;Encrypt=Optional");
        var table = spec.ServerAnswers;

        Assert.Equal(TdsPreloginEncryption.Off, spec.PreloginEncryption);
        TdsSpecAssert.Rule(table.Off, TdsAnswerAction.LoginOnly, false);
        TdsSpecAssert.Rule(table.On, TdsAnswerAction.Plaintext, false);
        TdsSpecAssert.Rule(table.NotSupported, TdsAnswerAction.Plaintext, false);
        TdsSpecAssert.Rule(table.Required, TdsAnswerAction.Encrypt, true);
        TdsSpecAssert.Rule(table.Other, TdsAnswerAction.Plaintext, false);
        Assert.Equal(0x3F, table.AnswerMask);
        Assert.Same(table.Required, table.For(0x83));
        Assert.Same(table.Off, table.For(0xC0));
        Assert.Same(table.Other, table.For(0x04));
        Assert.Equal(EncryptionMode.Opportunistic, spec.Tls.Encryption);
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.TlsOpportunistic && f.Severity == Severity.Warning);
    }

    [Fact]
    public void Mandatory_answer_table_fails_only_on_not_supported()
    {
        var table = SqlClientConnectionString.Parse("Server=db;Encrypt=Mandatory").ServerAnswers;
        TdsSpecAssert.Rule(table.Off, TdsAnswerAction.Encrypt, true);
        TdsSpecAssert.Rule(table.On, TdsAnswerAction.Encrypt, true);
        TdsSpecAssert.Rule(table.NotSupported, TdsAnswerAction.Fail, false);
        TdsSpecAssert.Rule(table.Required, TdsAnswerAction.Encrypt, true);
        TdsSpecAssert.Rule(table.Other, TdsAnswerAction.Encrypt, true);
        Assert.Same(table.NotSupported, table.For(0x82));
    }

    [Fact]
    public void Optional_with_trust_server_certificate_encrypts_a_forcing_server_without_validation()
    {
        var spec = SqlClientConnectionString.Parse("Server=db;Encrypt=false;TrustServerCertificate=true");
        TdsSpecAssert.Rule(spec.ServerAnswers.Required, TdsAnswerAction.Encrypt, false);
        TdsSpecAssert.Rule(spec.ServerAnswers.Off, TdsAnswerAction.LoginOnly, false);
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
    }

    [Fact]
    public void Strict_is_tds8_tls_first_with_alpn_and_always_validates()
    {
        var spec = SqlClientConnectionString.Parse("Server=db.example.com;Encrypt=Strict;TrustServerCertificate=true");

        Assert.Equal(TdsVersion.Tds80, spec.Version);
        Assert.True(spec.TlsFirst);
        Assert.Equal(EncryptionMode.TlsFirst, spec.Tls.Encryption);
        Assert.Equal(["tds/8.0"], spec.Tls.Alpn.ToArray());
        Assert.True(spec.Tls.SendSni);
        Assert.Equal(TdsPreloginEncryption.NotSupported, spec.PreloginEncryption);
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        foreach (byte answer in new byte[] { 0, 1, 2, 3, 9 })
        {
            TdsSpecAssert.Rule(spec.ServerAnswers.For(answer), TdsAnswerAction.Encrypt, true);
        }

        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "ignored under Encrypt=Strict"));
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.CertNotVerified);
    }

    [Theory]
    [InlineData("Mandatory")]
    [InlineData("Strict")]
    public void Server_certificate_is_a_pin_that_can_stand_in_for_chain_and_host_name(string encrypt)
    {
        using var dir = new TempDirectory();
        var pin = dir.Write("server.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        foreach (var key in new[] { "ServerCertificate", "Server Certificate" })
        {
            var spec = SqlClientConnectionString.Parse($"Server=db;Encrypt={encrypt};{key}={pin}");
            Assert.Equal(pin, spec.Tls.PinnedCertificatePath);
            Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
            Assert.Contains("ServerCertificate=" + pin, spec.PolicySummary, StringComparison.Ordinal);
            Assert.DoesNotContain(spec.Findings, f => f.Message.Contains("does not exist", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Server_certificate_that_cannot_be_loaded_is_noted_and_kept()
    {
        var spec = SqlClientConnectionString.Parse("Server=db;ServerCertificate=/nonexistent/server.pem");
        Assert.Equal("/nonexistent/server.pem", spec.Tls.PinnedCertificatePath);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "refuses the connection when it cannot load the pinned certificate"));
    }

    [Fact]
    public void Server_certificate_has_no_effect_when_trust_server_certificate_is_true()
    {
        var spec = SqlClientConnectionString.Parse("Server=db;TrustServerCertificate=true;ServerCertificate=/x.pem");
        Assert.Null(spec.Tls.PinnedCertificatePath);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "ServerCertificate has no effect"));
    }

    [Theory]
    [InlineData("db", "db", 1433)]
    [InlineData("tcp:db,1500", "db", 1500)]
    [InlineData(" tcp : db , 1500 ", "db", 1500)]
    [InlineData("DB.Example.COM", "db.example.com", 1433)]
    [InlineData("db.example.com,14330", "db.example.com", 14330)]
    [InlineData("10.1.2.3,1433", "10.1.2.3", 1433)]
    [InlineData("::1,1433", "::1", 1433)]
    [InlineData("fe80::1", "fe80::1", 1433)]
    [InlineData(".", "localhost", 1433)]
    [InlineData("(local)", "localhost", 1433)]
    [InlineData("(local),1500", "localhost", 1500)]
    [InlineData("", "localhost", 1433)]
    [InlineData(@"db\inst,1500", "db", 1500)]
    [InlineData(@"db,1500\inst", "db", 1500)]
    public void Data_source_forms(string dataSource, string host, int port)
    {
        var spec = SqlClientConnectionString.Parse($"Data Source={dataSource}");
        Assert.Equal(host, spec.Host);
        Assert.Equal(port, spec.Port);
        Assert.Null(spec.Instance);
    }

    [Fact]
    public void Instance_is_dropped_when_a_port_is_given()
    {
        var spec = SqlClientConnectionString.Parse(@"Server=db\SQLEXPRESS,1500");
        Assert.Null(spec.Instance);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "instance \"sqlexpress\" is ignored"));
    }

    [Fact]
    public void Instance_without_port_is_rejected_because_dbtls_never_asks_the_browser()
    {
        var error = TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse(@"Server=db\SQLEXPRESS;Password=" + Secret.Replace(";", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal)), "Pa55w0rdx");
        Assert.Contains("sqlexpress", error.Message, StringComparison.Ordinal);
        Assert.Contains("SQL Server Browser", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Remedy);
    }

    [Theory]
    [InlineData("np:db")]
    [InlineData(@"\\db\pipe\sql\query")]
    [InlineData("admin:db")]
    [InlineData("lpc:db")]
    [InlineData("(localdb)\\v11.0")]
    [InlineData("db,0")]
    [InlineData("db,70000")]
    [InlineData("db,abc")]
    [InlineData("db,")]
    [InlineData("db/x")]
    [InlineData(@"db\")]
    [InlineData(@"db\mssqlserver")]
    [InlineData("np:db,1433")]
    public void Data_sources_dbtls_cannot_use_are_rejected(string dataSource) =>
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse($"Data Source={dataSource}"));

    [Fact]
    public void Unknown_keyword_is_named_unless_it_follows_the_password()
    {
        var named = TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse("Server=db;Encrypted=true"));
        Assert.Contains("'encrypted'", named.Message, StringComparison.Ordinal);

        // An unquoted password with ';' splits: its tail must not appear in the message.
        var hidden = TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse("Server=db;Password=abc;defgh=ij"), "defgh");
        Assert.Contains("must be quoted", hidden.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_longer_than_128_characters_are_rejected_without_echo()
    {
        var longPassword = new string('s', 129);
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse($"Server=db;Password={longPassword}"), longPassword);
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse($"Server=db;User ID={new string('u', 129)}"));
        Assert.Equal(128, SqlClientConnectionString.Parse($"Server=db;Password={new string('s', 128)}").Password!.Reveal().Length);
    }

    [Theory]
    [InlineData("Server=db;User ID=u;Password='Pa55;w0rd''x'", "Server=db;User ID=u;Password=********")]
    [InlineData("Server=db;PWD=\"Pa55;w0rd'x\";Encrypt=true", "Server=db;PWD=********;Encrypt=true")]
    [InlineData("password = \"Pa55;w0rd'x\" ; Server=db", "password = ******** ; Server=db")]
    public void Password_is_redacted_everywhere(string connectionString, string redacted)
    {
        var spec = SqlClientConnectionString.Parse(connectionString);
        Assert.Equal(Secret, spec.Password?.Reveal());
        Assert.Equal(redacted, spec.RedactedConnectionString);
        TdsSpecAssert.NoSecret(spec, Secret);
        TdsSpecAssert.NoSecret(spec, "Pa55");
    }

    [Fact]
    public void Every_password_occurrence_is_redacted()
    {
        var spec = SqlClientConnectionString.Parse("Password=first1;Server=db;PWD=second2");
        Assert.Equal("second2", spec.Password?.Reveal());
        Assert.Equal("Password=********;Server=db;PWD=********", spec.RedactedConnectionString);
    }

    [Fact]
    public void Errors_never_repeat_the_password()
    {
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse("Password=Hunter2x;Encrypt=bogus;Server=db"), "Hunter2x");
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse("Password='Hunter2x"), "Hunter2x");
        TdsSpecAssert.Invalid(() => SqlClientConnectionString.Parse("Password=Hunter2x'"), "Hunter2x");
    }
}
