using System.Security.Cryptography.X509Certificates;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Dialects.Jdbc;

/// <summary>
/// One test per row of the behaviour table in Microsoft's "Understanding encryption support" page for the
/// JDBC driver (reference 001). Where driver 10.2 and later behave differently from the table, the test
/// follows the driver and says so.
/// </summary>
public sealed class JdbcBehaviourTableTests : IClassFixture<JdbcBehaviourTableTests.TrustStoreFixture>
{
    private const string Base = "jdbc:sqlserver://db.example.com:1433;user=app;password=pw";

    private readonly TempDirectory _dir;
    private readonly string _trustStore;

    public JdbcBehaviourTableTests(TrustStoreFixture fixture)
    {
        _dir = fixture.Directory;
        _trustStore = fixture.TrustStore;
    }

    /// <summary>One PKCS#12 trust store with a generated root for all rows (key generation is slow).</summary>
    public sealed class TrustStoreFixture : IDisposable
    {
        public TrustStoreFixture()
        {
            using var root = CertFactory.CreateRoot();
            TrustStore = Directory.Write("truststore.p12", new X509Certificate2Collection(root.Certificate).Export(X509ContentType.Pkcs12, "storepw")!);
        }

        public TempDirectory Directory { get; } = new();

        public string TrustStore { get; }

        public void Dispose() => Directory.Dispose();
    }

    [Fact]
    public void Row01_encrypt_false_encrypts_only_the_login_without_validation_unless_the_server_forces_encryption()
    {
        // Every other property is "any" in this row: trustServerCertificate, hostNameInCertificate and trustStore change nothing here.
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=false;hostNameInCertificate=cert.example.com;trustStore={_trustStore}");

        Assert.Equal(EncryptionMode.Opportunistic, spec.Tls.Encryption);
        Assert.Equal(TdsPreloginEncryption.Off, spec.PreloginEncryption);
        // "The driver won't force the server to support TLS": a server without encryption gets a plaintext connection.
        TdsSpecAssert.Rule(spec.ServerAnswers.NotSupported, TdsAnswerAction.Plaintext, false);
        // "The TLS certificate won't be validated and only the credentials (in the login packet) are encrypted."
        TdsSpecAssert.Rule(spec.ServerAnswers.Off, TdsAnswerAction.LoginOnly, false);
        Assert.True(spec.LoginOnlySkipsValidation);
        // "If the server requires the client to support TLS encryption ... the entire communication will be encrypted."
        // The table says the certificate is then not validated; driver 10.2 and later (commit 38584faf, #1731) validate it.
        TdsSpecAssert.Rule(spec.ServerAnswers.Required, TdsAnswerAction.Encrypt, true);
        Assert.Contains("since driver 10.2 the certificate is validated", spec.ServerAnswers.Required.Note, StringComparison.Ordinal);
        // Said only when the server answers REQ (the check reports the rule's note then), not up front for every server.
        Assert.DoesNotContain(spec.Findings, f => f.Message.Contains("forces encryption", StringComparison.Ordinal));
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal("cert.example.com", spec.Tls.ExpectedHostName);
    }

    [Fact]
    public void Row01_encrypt_false_with_trust_server_certificate_never_validates()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=false;trustServerCertificate=true");
        TdsSpecAssert.Rule(spec.ServerAnswers.Off, TdsAnswerAction.LoginOnly, false);
        TdsSpecAssert.Rule(spec.ServerAnswers.Required, TdsAnswerAction.Encrypt, false);
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
    }

    [Fact]
    public void Row01_blank_encrypt_is_true_since_driver_10_2()
    {
        // The table groups "blank" with false; the driver's default became encrypt=true in 10.2.
        var spec = JdbcConnectionString.Parse(Base);
        Assert.Equal(EncryptionMode.Required, spec.Tls.Encryption);
        Assert.Equal(TdsPreloginEncryption.On, spec.PreloginEncryption);
        Assert.Contains(spec.Sources, s => s.StartsWith("encrypt=true (the JDBC driver's default since 10.2)", StringComparison.Ordinal));
    }

    [Fact]
    public void Row02_encrypt_true_trust_server_certificate_true_requires_tls_and_skips_validation()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;trustServerCertificate=true;hostNameInCertificate=x;trustStore={_trustStore};trustStorePassword=storepw");

        AssertRequiresEncryption(spec, verifies: false);
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Code == DbTls.Diagnostics.FindingCodes.CertNotVerified);
    }

    [Fact]
    public void Row03_encrypt_true_alone_validates_against_server_name_with_the_default_trust_store()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;trustServerCertificate=false");

        AssertRequiresEncryption(spec, verifies: true);
        AssertValidates(spec, expectedHostName: null, TrustSource.System);
        Assert.Equal("db.example.com", spec.Host);
    }

    [Fact]
    public void Row04_host_name_in_certificate_replaces_the_server_name_in_validation()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;hostNameInCertificate=cert.example.com");

        AssertRequiresEncryption(spec, verifies: true);
        AssertValidates(spec, "cert.example.com", TrustSource.System);
    }

    [Fact]
    public void Row05_trust_store_with_password_checks_the_store_integrity()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;trustStore={_trustStore};trustStorePassword=storepw");

        AssertRequiresEncryption(spec, verifies: true);
        var store = Assert.IsType<TrustSource.Pkcs12Store>(spec.Tls.Trust);
        Assert.Equal(_trustStore, store.Path);
        Assert.Equal("storepw", store.Password?.Reveal());
        AssertValidates(spec, null, store);
    }

    [Fact]
    public void Row06_password_alone_checks_the_default_trust_store()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;trustStorePassword=storepw");

        AssertRequiresEncryption(spec, verifies: true);
        AssertValidates(spec, null, TrustSource.System);
        Assert.True(TdsSpecAssert.HasFinding(spec, DbTls.Diagnostics.FindingCodes.ConfigNote, "default trust store"));
    }

    [Fact]
    public void Row07_trust_store_alone_is_read_without_an_integrity_check()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;trustStore={_trustStore}");

        AssertRequiresEncryption(spec, verifies: true);
        var store = Assert.IsType<TrustSource.Pkcs12Store>(spec.Tls.Trust);
        Assert.Equal(_trustStore, store.Path);
        Assert.Null(store.Password);
        AssertValidates(spec, null, store);
    }

    [Fact]
    public void Row08_host_name_in_certificate_with_password_only()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;hostNameInCertificate=cert.example.com;trustStorePassword=storepw");

        AssertRequiresEncryption(spec, verifies: true);
        AssertValidates(spec, "cert.example.com", TrustSource.System);
    }

    [Fact]
    public void Row09_host_name_in_certificate_with_trust_store_only()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;hostNameInCertificate=cert.example.com;trustStore={_trustStore}");

        AssertRequiresEncryption(spec, verifies: true);
        AssertValidates(spec, "cert.example.com", new TrustSource.Pkcs12Store(_trustStore, null));
    }

    [Fact]
    public void Row10_host_name_in_certificate_with_trust_store_and_password()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=true;hostNameInCertificate=cert.example.com;trustStore={_trustStore};trustStorePassword=storepw");

        AssertRequiresEncryption(spec, verifies: true);
        AssertValidates(spec, "cert.example.com", new TrustSource.Pkcs12Store(_trustStore, new Secret("storepw")));
    }

    [Fact]
    public void Row11_strict_with_server_certificate_is_tds8_tls_first_and_pins_the_certificate()
    {
        var pin = _dir.Write("server.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=strict;hostNameInCertificate=cert.example.com;serverCertificate={pin};trustServerCertificate=true");

        // "requests to use TDS 8.0 strict TLS encryption ... TLS handshake ... as the first action."
        Assert.Equal(TdsVersion.Tds80, spec.Version);
        Assert.True(spec.TlsFirst);
        Assert.Equal(EncryptionMode.TlsFirst, spec.Tls.Encryption);
        Assert.Equal(["tds/8.0"], spec.Tls.Alpn.ToArray());
        Assert.Equal(TdsPreloginEncryption.NotSupported, spec.PreloginEncryption);
        // "The trustServerCertificate setting is ignored and treated as false in strict mode."
        Assert.True(TdsSpecAssert.HasFinding(spec, DbTls.Diagnostics.FindingCodes.ConfigNote, "ignored with encrypt=strict"));
        // "The certificate received from the server must match this certificate exactly."
        Assert.Equal(VerificationLevel.PinnedCertificate, spec.Tls.Verification);
        Assert.Equal(pin, spec.Tls.PinnedCertificatePath);
        // With a pin the driver does not look at hostNameInCertificate (ServerCertificateX509TrustManager).
        Assert.True(TdsSpecAssert.HasFinding(spec, DbTls.Diagnostics.FindingCodes.ConfigNote, "not checked when serverCertificate is given"));
        foreach (byte answer in new byte[] { 0, 1, 2, 3 })
        {
            TdsSpecAssert.Rule(spec.ServerAnswers.For(answer), TdsAnswerAction.Encrypt, true);
        }

        TdsSpecAssert.Rule(spec.ServerAnswers.For(7), TdsAnswerAction.Fail, false);
    }

    [Fact]
    public void Row11_strict_with_only_host_name_in_certificate_validates_chain_and_that_name()
    {
        var spec = JdbcConnectionString.Parse($"{Base};encrypt=strict;hostNameInCertificate=cert.example.com");
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal("cert.example.com", spec.Tls.ExpectedHostName);
        Assert.Null(spec.Tls.PinnedCertificatePath);
    }

    private static void AssertRequiresEncryption(TdsConnectionSpec spec, bool verifies)
    {
        // "The driver requests to use TLS encryption with the server."
        Assert.Equal(EncryptionMode.Required, spec.Tls.Encryption);
        Assert.Equal(TdsPreloginEncryption.On, spec.PreloginEncryption);
        Assert.False(spec.TlsFirst);
        // "If the server requires ... or if the server supports encryption, the driver will initiate the TLS certificate exchange."
        TdsSpecAssert.Rule(spec.ServerAnswers.On, TdsAnswerAction.Encrypt, verifies);
        TdsSpecAssert.Rule(spec.ServerAnswers.Required, TdsAnswerAction.Encrypt, verifies);
        // "If the server isn't configured to support encryption, the driver will raise an error and terminate the connection."
        TdsSpecAssert.Rule(spec.ServerAnswers.NotSupported, TdsAnswerAction.Fail, false);
        TdsSpecAssert.Rule(spec.ServerAnswers.Off, TdsAnswerAction.Fail, false);
    }

    private static void AssertValidates(TdsConnectionSpec spec, string? expectedHostName, TrustSource trust)
    {
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal(HostNameRules.Jdbc, spec.Tls.HostNameRules);
        Assert.Equal(expectedHostName, spec.Tls.ExpectedHostName);
        Assert.Equal(trust, spec.Tls.Trust);
        Assert.Null(spec.Tls.PinnedCertificatePath);
    }
}
