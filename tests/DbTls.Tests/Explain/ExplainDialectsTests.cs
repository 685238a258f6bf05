using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Explain;
using DbTls.Policy;

namespace DbTls.Tests.Explain;

/// <summary>
/// <c>explain</c> of Npgsql, pgjdbc, ODBC Driver 18 and PyMongo strings names each driver's own behaviour (as their
/// check matrices measured or documented it), not libpq's or SqlClient's, and the lint rules fire on it.
/// </summary>
public sealed class ExplainDialectsTests : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private string DefaultRootFile()
    {
        Directory.CreateDirectory(Path.Combine(_fx.Home, ".postgresql"));
        var root = Path.Combine(_fx.Home, ".postgresql", "root.crt");
        File.Copy(_fx.CaFile(), root);
        return root;
    }

    [Fact]
    public void Pgjdbc_ssl_true_means_verify_full()
    {
        var explained = _fx.Explained($"jdbc:postgresql://db.example.com/app?user=u&ssl=true&sslrootcert={_fx.CaFile()}", "pgjdbc");

        Assert.Equal(EncryptionMode.Required, explained.Description.Tls.Encryption);
        Assert.Equal(VerificationLevel.ChainAndHostName, explained.Description.Tls.Verification);
        Assert.Contains("verify-full", explained.Description.PolicySummary, StringComparison.Ordinal);
        Assert.Empty(ExplainFixture.Lint(explained));
    }

    [Fact]
    public void Pgjdbc_require_stays_unverified_even_with_a_default_root_file_where_libpq_verifies_the_chain()
    {
        DefaultRootFile();

        var pgjdbc = _fx.Explained("jdbc:postgresql://db.example.com/app?user=u&sslmode=require", "pgjdbc");
        var libpq = _fx.Explained("host=db.example.com user=u sslmode=require", "libpq");

        Assert.Equal(VerificationLevel.None, pgjdbc.Description.Tls.Verification);
        Assert.Contains(FindingCodes.LintUnverifiedEncryption, ExplainFixture.Codes(pgjdbc));
        Assert.Equal(VerificationLevel.Chain, libpq.Description.Tls.Verification);
        Assert.DoesNotContain(FindingCodes.LintUnverifiedEncryption, ExplainFixture.Codes(libpq));
    }

    [Fact]
    public void Npgsql_require_does_not_verify_even_with_a_root_certificate()
    {
        var explained = _fx.Explained($"Host=db.example.com;Username=u;SSL Mode=Require;Root Certificate={_fx.CaFile()}", "npgsql");

        Assert.Equal(EncryptionMode.Required, explained.Description.Tls.Encryption);
        Assert.Equal(VerificationLevel.None, explained.Description.Tls.Verification);
        var unverified = Assert.Single(explained.Findings, f => f.Code == FindingCodes.LintUnverifiedEncryption);
        Assert.Contains("Npgsql", unverified.Message, StringComparison.Ordinal);
        Assert.Contains("SSL Mode=VerifyFull", unverified.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Npgsql_prefer_is_the_default_and_can_fall_back_to_plaintext()
    {
        var explained = _fx.Explained("Host=db.example.com;Username=u", "npgsql");

        Assert.Equal(EncryptionMode.Opportunistic, explained.Description.Tls.Encryption);
        Assert.Contains(FindingCodes.LintCredentialsInClear, ExplainFixture.Codes(explained));
        Assert.Contains(FindingCodes.LintPlaintextFallback, ExplainFixture.Codes(explained));
    }

    [Fact]
    public void Odbc_driver_18_encrypts_and_verifies_by_default_and_driver_17_does_not()
    {
        var v18 = _fx.Explained("Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433", "odbc");
        var v17 = _fx.Explained("Driver={ODBC Driver 17 for SQL Server};Server=tcp:db.example.com,1433", "odbc");

        Assert.Equal(EncryptionMode.Required, v18.Description.Tls.Encryption);
        Assert.Equal(VerificationLevel.ChainAndHostName, v18.Description.Tls.Verification);
        Assert.DoesNotContain(ExplainFixture.Lint(v18), f => f.Severity == Severity.Error);
        Assert.Contains(v18.Statements, s => s.Topic == "server answer" && s.Text.StartsWith("server answers ENCRYPT_OFF", StringComparison.Ordinal));
        Assert.Equal(EncryptionMode.Opportunistic, v17.Description.Tls.Encryption);
        Assert.Contains(FindingCodes.LintCredentialsInClear, ExplainFixture.Codes(v17));
    }

    [Fact]
    public void Odbc_trust_server_certificate_is_unverified_with_an_odbc_remedy()
    {
        var explained = _fx.Explained("Driver={ODBC Driver 18 for SQL Server};Server=tcp:db.example.com,1433;TrustServerCertificate=yes", "odbc");

        var unverified = Assert.Single(explained.Findings, f => f.Code == FindingCodes.LintUnverifiedEncryption);
        Assert.Contains("TrustServerCertificate=no", unverified.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Pymongo_keyword_arguments_decide_the_policy()
    {
        var ca = _fx.CaFile();
        ExplainOutcome Explain(params KeyValuePair<string, string>[] options) => ConnectionExplainer.Explain(
            DialectRegistry.Default.Find("pymongo")!, "mongodb://db.example.com/?tls=false",
            new CheckEnvironment(_fx.Variables) { OsUserName = "tester", Options = options }, TimeProvider.System);

        var plain = Explain().Explanation!;
        var verified = Explain(new("tls", "true"), new("tlsCAFile", ca)).Explanation!;
        var insecure = Explain(new("tls", "true"), new("tlsInsecure", "true")).Explanation!;

        Assert.Equal("pymongo", verified.Description.Dialect);
        Assert.Contains(FindingCodes.LintCredentialsInClear, ExplainFixture.Codes(plain));
        Assert.Equal(VerificationLevel.ChainAndHostName, verified.Description.Tls.Verification);
        Assert.Equal(new TrustSource.PemFile(ca), verified.Description.Tls.Trust);
        Assert.Empty(ExplainFixture.Lint(verified));
        Assert.Contains(FindingCodes.LintUnverifiedEncryption, ExplainFixture.Codes(insecure));
    }
}
