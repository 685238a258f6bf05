using DbTls.Diagnostics;

namespace DbTls.Tests.Explain;

/// <summary>Each lint rule fires for a string that has the problem, and stays silent for one that does not.</summary>
public sealed class LintRuleTests : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public void A_verified_libpq_string_has_no_lint_finding()
    {
        var ca = _fx.CaFile();

        var explanation = _fx.Explained($"host=db.example.com sslmode=verify-full sslrootcert={ca}");

        Assert.Empty(ExplainFixture.Lint(explanation));
    }

    [Fact]
    public void A_verified_sqlclient_string_has_no_lint_finding()
    {
        var explanation = _fx.Explained("Server=db.example.com,1433;Encrypt=Mandatory;TrustServerCertificate=False");

        Assert.Empty(ExplainFixture.Lint(explanation));
    }

    [Theory]
    [InlineData("host=db sslmode=disable")]
    [InlineData("host=db sslmode=prefer")]
    [InlineData("host=db sslmode=allow")]
    [InlineData("Server=db,1433;Encrypt=Optional")]
    [InlineData("jdbc:sqlserver://db:1433;encrypt=false")]
    [InlineData("mongodb://db/?tls=false")]
    public void Credentials_in_clear_when_the_login_can_go_without_tls(string text)
    {
        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained(text)), f => f.Code == FindingCodes.LintCredentialsInClear);

        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Sqlclient_optional_names_the_answers_that_send_the_login_in_clear()
    {
        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained("Server=db,1433;Encrypt=Optional")), f => f.Code == FindingCodes.LintCredentialsInClear);

        // SqlClient treats ENCRYPT_ON in answer to ENCRYPT_OFF like NOT_SUP (TdsParser.ConsumePreLoginHandshake).
        Assert.Contains("ENCRYPT_ON or ENCRYPT_NOT_SUP", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Encrypt=Mandatory", finding.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Freetds_request_with_a_ca_file_still_falls_back_to_plaintext()
    {
        _fx.FreeTdsSection($"\thost = db.example.com\n\tport = 1433\n\tencryption = request\n\tca file = {_fx.CaFile()}\n");

        var codes = ExplainFixture.Codes(_fx.Explained("freetds:srv")).ToList();

        Assert.Contains(FindingCodes.LintPlaintextFallback, codes);
        Assert.DoesNotContain(FindingCodes.LintUnverifiedEncryption, codes);
    }

    [Theory]
    [InlineData("host=db sslmode=prefer")]
    [InlineData("Server=db,1433;Encrypt=Optional")]
    [InlineData("jdbc:sqlserver://db:1433;encrypt=false")]
    public void Plaintext_fallback_for_opportunistic_modes(string text) =>
        Assert.Contains(FindingCodes.LintPlaintextFallback, ExplainFixture.Codes(_fx.Explained(text)));

    [Theory]
    [InlineData("host=db sslmode=disable")]
    [InlineData("host=db sslmode=require")]
    [InlineData("Server=db,1433;Encrypt=Mandatory")]
    public void No_plaintext_fallback_where_there_is_none(string text) =>
        Assert.DoesNotContain(FindingCodes.LintPlaintextFallback, ExplainFixture.Codes(_fx.Explained(text)));

    [Theory]
    [InlineData("host=db sslmode=require")]
    [InlineData("Server=db,1433;Encrypt=Mandatory;TrustServerCertificate=True")]
    [InlineData("jdbc:sqlserver://db:1433;encrypt=true;trustServerCertificate=true")]
    [InlineData("mongodb://db/?tls=true&tlsInsecure=true")]
    [InlineData("Server=db,1433;Encrypt=Optional")] // login-only TLS accepts any certificate
    public void Unverified_encryption_when_any_certificate_is_accepted(string text) =>
        Assert.Contains(FindingCodes.LintUnverifiedEncryption, ExplainFixture.Codes(_fx.Explained(text)));

    [Fact]
    public void Freetds_without_ca_file_is_unverified()
    {
        _fx.FreeTdsSection("\thost = db.example.com\n\tport = 1433\n\tencryption = require\n");

        Assert.Contains(FindingCodes.LintUnverifiedEncryption, ExplainFixture.Codes(_fx.Explained("freetds:srv")));
    }

    [Theory]
    [InlineData("host=db sslmode=require ssl_min_protocol_version=TLSv1")]
    [InlineData("jdbc:sqlserver://db:1433;encrypt=true;sslProtocol=TLSv1.1")]
    public void Legacy_tls_when_the_settings_enable_it(string text)
    {
        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained(text)), f => f.Code == FindingCodes.LintLegacyTls);

        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public void Freetds_enable_tls_v1_is_legacy_tls()
    {
        _fx.FreeTdsSection($"\thost = db\n\tport = 1433\n\tencryption = require\n\tca file = {_fx.CaFile()}\n\tenable tls v1 = yes\n");

        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained("freetds:srv")), f => f.Code == FindingCodes.LintLegacyTls);
        Assert.Contains("enable tls v1", finding.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=db requiressl=1", "requiressl")]
    [InlineData("host=db sslmode=require sslcompression=1", "sslcompression")]
    [InlineData("mongodb://db/?ssl=true", "ssl is the old name")]
    public void Deprecated_options(string text, string named)
    {
        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained(text)), f => f.Code == FindingCodes.LintDeprecatedOption);

        Assert.Contains(named, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=db sslmode=disable sslrootcert=/nowhere/ca.pem", "sslrootcert")]
    [InlineData("Server=db,1433;Encrypt=Mandatory;TrustServerCertificate=True;HostNameInCertificate=other", "host name in certificate")]
    [InlineData("jdbc:sqlserver://db:1433;encrypt=true;trustServerCertificate=true;trustStore=/nowhere/t.p12", "truststore")]
    [InlineData("jdbc:sqlserver://db:1433;encrypt=true;serverCertificate=/nowhere/pin.pem", "servercertificate")]
    [InlineData("mongodb://db/?tls=true&tlsAllowInvalidCertificates=true&tlsCAFile=/nowhere/ca.pem", "tlscafile")]
    public void Ignored_options(string text, string named)
    {
        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained(text)), f => f.Code == FindingCodes.LintIgnoredOption);

        Assert.StartsWith(named, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_freetds_ca_file_is_reported()
    {
        _fx.FreeTdsSection("\thost = db\n\tport = 1433\n\tencryption = require\n\tca file = /nowhere/ca.pem\n");

        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained("freetds:srv")), f => f.Code == FindingCodes.LintTrustFileMissing);

        Assert.Contains("/nowhere/ca.pem", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void A_missing_mongodb_ca_file_is_reported() =>
        Assert.Contains(FindingCodes.LintTrustFileMissing, ExplainFixture.Codes(_fx.Explained("mongodb://db/?tls=true&tlsCAFile=/nowhere/ca.pem")));

    [Fact]
    public void A_trust_file_without_a_certificate_is_unreadable()
    {
        var garbage = _fx.Write("not-a-cert.pem", "this is not a certificate\n");
        _fx.FreeTdsSection($"\thost = db\n\tport = 1433\n\tencryption = require\n\tca file = {garbage}\n");

        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained("freetds:srv")), f => f.Code == FindingCodes.LintTrustFileUnreadable);

        Assert.Contains("holds no PEM or DER certificate", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pinned_certificate_expiring_within_30_days_is_reported()
    {
        var pin = _fx.LeafFile("pin.pem", DateTimeOffset.UtcNow.AddDays(10));

        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained($"Server=db.example.com,1433;Encrypt=Mandatory;ServerCertificate={pin}")), f => f.Code == FindingCodes.LintPinExpiring);

        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public void A_pinned_certificate_far_from_expiry_is_not_reported()
    {
        var pin = _fx.LeafFile("pin.pem", DateTimeOffset.UtcNow.AddDays(200));

        var codes = ExplainFixture.Codes(_fx.Explained($"Server=db.example.com,1433;Encrypt=Mandatory;ServerCertificate={pin}")).ToList();

        Assert.DoesNotContain(FindingCodes.LintPinExpiring, codes);
        Assert.DoesNotContain(FindingCodes.LintPinExpired, codes);
    }

    [Fact]
    public void An_expired_pinned_certificate_is_an_error()
    {
        var pin = _fx.LeafFile("pin.pem", DateTimeOffset.UtcNow.AddDays(-2));

        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained($"jdbc:sqlserver://db.example.com:1433;encrypt=strict;serverCertificate={pin}")), f => f.Code == FindingCodes.LintPinExpired);

        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Lint_remedies_are_in_the_dialects_words()
    {
        var jdbc = Assert.Single(ExplainFixture.Lint(_fx.Explained("jdbc:sqlserver://db:1433;encrypt=true;trustServerCertificate=true")), f => f.Code == FindingCodes.LintUnverifiedEncryption);
        var mongo = Assert.Single(ExplainFixture.Lint(_fx.Explained("mongodb://db/?tls=true&tlsInsecure=true")), f => f.Code == FindingCodes.LintUnverifiedEncryption);

        Assert.Contains("trustServerCertificate=false", jdbc.Remedy, StringComparison.Ordinal);
        Assert.Contains("tlsInsecure", mongo.Remedy, StringComparison.Ordinal);
    }

    /// <summary>verify-ca and its equivalents, in every dialect that can say it; {ca} stands for a CA file the test writes.</summary>
    [Theory]
    [InlineData("libpq", "host=db.example.com sslmode=verify-ca sslrootcert={ca}", "sslmode=verify-full")]
    [InlineData("npgsql", "Host=db.example.com;Username=u;SSL Mode=VerifyCA;Root Certificate={ca}", "SSL Mode=VerifyFull")]
    [InlineData("pgjdbc", "jdbc:postgresql://db.example.com/app?user=u&sslmode=verify-ca&sslrootcert={ca}", "sslmode=verify-full")]
    [InlineData("mongodb", "mongodb://db.example.com/?tls=true&tlsAllowInvalidHostnames=true", "tlsAllowInvalidHostnames")]
    [InlineData("freetds", "\thost = db.example.com\n\tport = 1433\n\tencryption = require\n\tca file = {ca}\n\tcheck certificate hostname = no\n", "check certificate hostname")]
    public void A_chain_checked_without_the_host_name_is_a_warning_with_the_dialects_remedy(string dialect, string template, string remedy)
    {
        var text = template.Replace("{ca}", _fx.CaFile(), StringComparison.Ordinal);
        if (dialect == "freetds")
        {
            _fx.FreeTdsSection(text);
            text = "freetds:srv";
        }

        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained(text, dialect)), f => f.Code == FindingCodes.LintHostnameNotVerified);

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("not that it names the host", finding.Message, StringComparison.Ordinal);
        Assert.Contains(remedy, finding.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("libpq", "host=db.example.com sslmode=verify-full sslrootcert={ca}")]
    [InlineData("libpq", "host=db.example.com sslmode=require")]
    [InlineData("npgsql", "Host=db.example.com;Username=u;SSL Mode=VerifyFull;Root Certificate={ca}")]
    [InlineData("mongodb", "mongodb://db.example.com/?tls=true&tlsAllowInvalidCertificates=true")]
    [InlineData("sqlclient", "Server=db.example.com,1433;Encrypt=Mandatory")]
    public void Full_or_no_verification_is_not_reported_as_a_missing_host_name_check(string dialect, string template)
    {
        var text = template.Replace("{ca}", _fx.CaFile(), StringComparison.Ordinal);

        Assert.DoesNotContain(FindingCodes.LintHostnameNotVerified, ExplainFixture.Codes(_fx.Explained(text, dialect)));
    }

    [Theory]
    [InlineData("npgsql", "Host=db.example.com;Username=u;SSL Mode=Require;Root Certificate={ca}", "root certificate")]
    [InlineData("npgsql", "Host=db.example.com;Username=u;SSL Mode=Disable;SSL Certificate={ca}", "ssl certificate")]
    [InlineData("pgjdbc", "jdbc:postgresql://db.example.com/app?user=u&sslmode=require&sslrootcert={ca}", "sslrootcert")]
    [InlineData("pgjdbc", "jdbc:postgresql://db.example.com/app?user=u&sslmode=disable&sslfactory=org.postgresql.ssl.NonValidatingFactory", "sslfactory")]
    [InlineData("odbc", "Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433;TrustServerCertificate=yes;HostNameInCertificate=db.example.com", "hostnameincertificate")]
    public void An_option_the_drivers_other_settings_make_meaningless_is_named(string dialect, string template, string keyword)
    {
        var text = template.Replace("{ca}", _fx.CaFile(), StringComparison.Ordinal);

        var finding = Assert.Single(ExplainFixture.Lint(_fx.Explained(text, dialect)), f => f.Code == FindingCodes.LintIgnoredOption);

        Assert.StartsWith(keyword + " has no effect", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Npgsql_trust_server_certificate_is_deprecated()
    {
        var explained = _fx.Explained("Host=db.example.com;Username=u;SSL Mode=VerifyFull;Trust Server Certificate=true", "npgsql");

        Assert.Contains(ExplainFixture.Lint(explained), f => f.Code == FindingCodes.LintDeprecatedOption && f.Message.Contains("obsolete", StringComparison.Ordinal));
    }
}
