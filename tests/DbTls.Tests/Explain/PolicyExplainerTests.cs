namespace DbTls.Tests.Explain;

/// <summary>The policy in words: each statement follows from the dialect's policy, topic by topic.</summary>
public sealed class PolicyExplainerTests : IDisposable
{
    private readonly ExplainFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private string Say(string text, string topic) =>
        Assert.Single(_fx.Explained(text).Statements, s => s.Topic == topic).Text;

    [Fact]
    public void Verify_ca_says_the_host_name_is_not_checked()
    {
        var ca = _fx.CaFile();
        var explanation = _fx.Explained($"host=db sslmode=verify-ca sslrootcert={ca}");

        Assert.Contains("host name is NOT checked", Assert.Single(explanation.Statements, s => s.Topic == "verification").Text, StringComparison.Ordinal);
        Assert.DoesNotContain(explanation.Statements, s => s.Topic == "host name");
        Assert.Contains(ca, Assert.Single(explanation.Statements, s => s.Topic == "trust").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_full_names_the_host_and_libpqs_rules() =>
        Assert.Contains("\"db.example.com\" under libpq's rules", Say($"host=db.example.com sslmode=verify-full sslrootcert={_fx.CaFile()}", "host name"), StringComparison.Ordinal);

    [Fact]
    public void Sqlclient_host_name_in_certificate_replaces_the_host() =>
        Assert.Contains("\"cert.example.com\" under SqlClient's rules", Say("Server=db,1433;Encrypt=Mandatory;HostNameInCertificate=cert.example.com", "host name"), StringComparison.Ordinal);

    [Fact]
    public void Prefer_says_a_failed_handshake_also_falls_back() =>
        Assert.Contains("also when the TLS handshake or the certificate check fails", Say("host=db sslmode=prefer", "encryption"), StringComparison.Ordinal);

    [Fact]
    public void Sqlclient_optional_explains_each_server_answer()
    {
        var answers = _fx.Explained("Server=db,1433;Encrypt=Optional").Statements.Where(s => s.Topic == "server answer").Select(s => s.Text).ToList();

        Assert.Equal(4, answers.Count);
        Assert.StartsWith("server answers ENCRYPT_OFF: TLS for the login only, then plaintext, any certificate accepted", answers[0], StringComparison.Ordinal);
        Assert.StartsWith("server answers ENCRYPT_ON: no TLS", answers[1], StringComparison.Ordinal);
        Assert.StartsWith("server answers ENCRYPT_REQ: TLS for everything (certificate verified)", answers[2], StringComparison.Ordinal);
        Assert.StartsWith("server answers ENCRYPT_NOT_SUP: no TLS", answers[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Jdbc_encrypt_true_refuses_encrypt_off_where_sqlclient_mandatory_encrypts()
    {
        var jdbc = _fx.Explained("jdbc:sqlserver://db:1433;encrypt=true").Statements.First(s => s.Topic == "server answer").Text;
        var sqlclient = _fx.Explained("Server=db,1433;Encrypt=Mandatory").Statements.First(s => s.Topic == "server answer").Text;

        Assert.StartsWith("server answers ENCRYPT_OFF: the driver refuses to connect", jdbc, StringComparison.Ordinal);
        Assert.StartsWith("server answers ENCRYPT_OFF: TLS for everything (certificate verified)", sqlclient, StringComparison.Ordinal);
    }

    [Fact]
    public void Freetds_strict_is_tls_first_with_alpn_and_no_sni()
    {
        _fx.FreeTdsSection("\thost = db\n\tport = 1433\n\tencryption = strict\n");
        var explanation = _fx.Explained("freetds:srv");

        Assert.StartsWith("TDS 8.0 strict", Assert.Single(explanation.Statements, s => s.Topic == "encryption").Text, StringComparison.Ordinal);
        Assert.Equal("ALPN offers tds/8.0", Assert.Single(explanation.Statements, s => s.Topic == "alpn").Text);
        Assert.Equal("FreeTDS sends no SNI", Assert.Single(explanation.Statements, s => s.Topic == "sni").Text);
        Assert.Contains(explanation.Statements, s => s.Topic == "source" && s.Text.Contains("ca file = system (implied by encryption = strict)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_root_file_and_environment_variables_are_named_as_sources()
    {
        using var root = Infrastructure.CertFactory.CreateRoot();
        Directory.CreateDirectory(Path.Combine(_fx.Home, ".postgresql"));
        File.WriteAllText(Path.Combine(_fx.Home, ".postgresql", "root.crt"), root.CertificatePem);

        // sslmode=require with ~/.postgresql/root.crt verifies the chain: libpq's quiet upgrade.
        var explanation = _fx.Explained("host=db sslmode=require");

        Assert.Contains(explanation.Statements, s => s.Topic == "source" && s.Text.Contains("root.crt (default file)", StringComparison.Ordinal));
        Assert.StartsWith("the certificate chain must lead to a trusted root; the host name is NOT checked", Assert.Single(explanation.Statements, s => s.Topic == "verification").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mongodb_crl_is_leaf_only_and_ocsp_is_off()
    {
        var crl = _fx.Write("crl.pem", "placeholder");

        Assert.Equal($"CRLs from {crl} (only the server's certificate is checked)", Say($"mongodb://db/?tls=true&tlsCRLFile={crl}", "revocation"));
    }

    [Fact]
    public void Disabled_encryption_says_nothing_about_certificates()
    {
        var explanation = _fx.Explained("host=db sslmode=disable");

        Assert.Equal(["encryption"], explanation.Statements.Select(s => s.Topic).Distinct().Where(t => t != "source"));
    }
}
