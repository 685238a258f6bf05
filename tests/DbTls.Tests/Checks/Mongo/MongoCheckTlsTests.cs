using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Tls;
using static DbTls.Tests.Checks.Mongo.MongoCheckHarness;

namespace DbTls.Tests.Checks.Mongo;

/// <summary>
/// <see cref="MongoCheck"/> against the MongoDB test server over TLS: the certificate matrix (trusted,
/// untrusted, wrong host, missing intermediate), the options that relax verification, client
/// certificates, and the TLS alerts the PyMongo troubleshooting guide lists, from real peers.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoCheckTlsTests(MongoCheckCertificates certs) : IClassFixture<MongoCheckCertificates>
{
    private MongoTestServer Start(IssuedCert? certificate = null, bool requireClientCertificate = false) =>
        MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = (certificate ?? certs.Base.Server).Certificate,
            RequireClientCertificate = requireClientCertificate,
            ClientCertificateValidator = requireClientCertificate ? c => c.Issuer == certs.Base.Root.Certificate.Subject : null,
            Users = [Alice, Legacy],
        });

    [Fact]
    public async Task Trusted_certificate_logs_in_and_reads_connection_status()
    {
        await using var server = Start();
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs, "&appname=check")));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal("mongodb", report.Target.Dialect);
        Assert.Equal("implicit", report.Negotiation.Method);
        Assert.True(report.Negotiation.Encrypted);
        var attempt = Assert.Single(report.Negotiation.Attempts);
        Assert.Equal($"localhost:{server.Port}", attempt.Endpoint);
        Assert.Equal("ok", attempt.Outcome);
        Assert.Contains("wire versions 0-21", attempt.Detail, StringComparison.Ordinal);

        var tls = Assert.IsType<TlsReport>(report.Tls);
        Assert.NotNull(tls.Protocol);
        Assert.Equal("localhost", tls.Sni);
        Assert.Equal(certs.Base.Server.Certificate.Subject, tls.Certificates[0].Subject);
        Assert.All(tls.Validation.Where(s => s.Step is "chain" or "hostname"), s => Assert.Equal("passed", s.Outcome));

        Assert.Equal("tls-first", report.Policy!.Encryption);
        Assert.Equal("chain-and-hostname", report.Policy.Verification);
        Assert.StartsWith("tls=true tlsCAFile=", report.Policy.Summary, StringComparison.Ordinal);

        var login = Assert.IsType<LoginReport>(report.Login);
        Assert.True(login.Attempted);
        Assert.True(login.Succeeded);
        Assert.Equal("scram-sha-256", login.Mechanism);
        Assert.Contains("speculatively", login.Detail, StringComparison.Ordinal);
        Assert.Equal(["alice@admin"], report.Server!.AuthenticatedUsers);
        Assert.Equal("7.0.0", report.Server.ServerVersion);
        Assert.DoesNotContain(report.Findings, f => f.Severity != "info");

        var record = Assert.Single(server.Connections);
        Assert.Equal(["OP_MSG isMaster", "OP_MSG saslContinue", "OP_MSG connectionStatus", "OP_MSG buildInfo"], record.Commands);
        Assert.Equal("check", Assert.Single(record.HelloCommands.Items)["client"]["application"]["name"].AsString);
        AssertOnlyTlsOnTheWire(record);
        AssertNoSecret(report, Password);
    }

    [Fact]
    public async Task Untrusted_root_is_certificate_verify_failed_naming_the_root_and_nothing_is_sent()
    {
        await using var server = Start(certs.Untrusted);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Equal(1, report.ExitCode);
        var failure = Failure(report);
        Assert.Equal(FindingCodes.CertUntrusted, failure.Code);
        Assert.Contains("certificate verify failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("dbtls Mongo Other Root", failure.Message, StringComparison.Ordinal);
        Assert.Contains("tlsCAFile", failure.Remedy, StringComparison.Ordinal);
        Assert.Null(report.Login);
        Assert.Null(report.Server);
        Assert.Equal("failed", Assert.Single(report.Tls!.Validation, s => s.Step == "chain").Outcome);
        Assert.Equal("failed", Assert.Single(report.Negotiation.Attempts).Outcome);
        Assert.False(report.Negotiation.Encrypted);

        var record = Assert.Single(server.Connections);
        Assert.Empty(record.Received);
        AssertOnlyTlsOnTheWire(record);
    }

    [Fact]
    public async Task Missing_intermediate_names_the_missing_issuer()
    {
        // The server sends only its leaf; the client trusts only the root, so the intermediate is missing.
        await using var server = Start(certs.ViaIntermediate);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)));

        var failure = Failure(report);
        Assert.Equal(FindingCodes.CertUntrusted, failure.Code);
        Assert.Contains("unable to get local issuer certificate", failure.Message, StringComparison.Ordinal);
        Assert.Contains("dbtls Mongo Intermediate CA", failure.Message, StringComparison.Ordinal);
        Assert.Single(report.Tls!.Certificates);
    }

    [Fact]
    public async Task Wrong_host_is_a_host_name_mismatch_unless_invalid_host_names_are_allowed()
    {
        await using var server = Start(certs.WrongHost);
        var strict = await CheckAsync(UriFor(server.Port, TlsOptions(certs)));
        Assert.Equal(FindingCodes.CertHostnameMismatch, Failure(strict).Code);
        Assert.Equal(1, strict.ExitCode);

        var relaxed = await CheckAsync(UriFor(server.Port, TlsOptions(certs, "&tlsAllowInvalidHostnames=true")));
        Assert.Equal(Verdicts.Ok, relaxed.Verdict);
        Assert.Equal("chain", relaxed.Policy!.Verification);
        Assert.Contains(relaxed.Findings, f => f.Code == FindingCodes.CertNotVerified && f.Severity == "warning");
        Assert.True(relaxed.Login!.Succeeded);
    }

    [Fact]
    public async Task Allow_invalid_host_names_still_rejects_an_untrusted_chain()
    {
        await using var server = Start(certs.Untrusted);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs, "&tlsAllowInvalidHostnames=true")));
        Assert.Equal(FindingCodes.CertUntrusted, Failure(report).Code);
    }

    [Theory]
    [InlineData("&tlsInsecure=true")]
    [InlineData("&tlsAllowInvalidCertificates=true")]
    public async Task Insecure_options_accept_any_certificate_and_say_so(string option)
    {
        await using var server = Start(certs.Untrusted);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs, option)));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal("none", report.Policy!.Verification);
        Assert.True(report.Negotiation.Encrypted);
        Assert.True(report.Login!.Succeeded);
        var warning = Assert.Single(report.Findings, f => f.Code == FindingCodes.CertNotVerified);
        Assert.Equal("warning", warning.Severity);
        Assert.Contains(option[1..option.IndexOf('=', StringComparison.Ordinal)], warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Required_client_certificate_missing_is_rejected_before_any_command()
    {
        await using var server = Start(requireClientCertificate: true);
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        var failure = Failure(report);
        Assert.Equal(FindingCodes.ClientCertMissing, failure.Code);
        Assert.Contains("tlsCertificateKeyFile", failure.Remedy, StringComparison.Ordinal);
        Assert.Empty(Assert.Single(server.Connections).Commands);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Client_certificate_from_tls_certificate_key_file(bool encrypted)
    {
        await using var server = Start(requireClientCertificate: true);
        var file = encrypted ? certs.ClientEncryptedPemFile : certs.ClientPemFile;
        var options = $"&tlsCertificateKeyFile={Escape(file)}" + (encrypted ? $"&tlsCertificateKeyFilePassword={Escape(MongoCheckCertificates.KeyPassword)}" : "");
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs, options)));

        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.True(report.Tls!.ClientCertificateSent);
        Assert.Equal(file, report.Policy!.ClientCertificate);
        Assert.Contains("dbtls-client", Assert.Single(server.Connections).ClientCertificate!.Subject, StringComparison.Ordinal);
        AssertNoSecret(report, Password, MongoCheckCertificates.KeyPassword);
    }

    [Fact]
    public async Task Wrong_key_password_is_a_configuration_error_before_any_byte()
    {
        await using var server = Start(requireClientCertificate: true);
        var options = $"&tlsCertificateKeyFile={Escape(certs.ClientEncryptedPemFile)}&tlsCertificateKeyFilePassword=Not-The-Key-Pass";
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs, options)));

        Assert.Equal(Verdicts.Failed, report.Verdict);
        Assert.Equal(2, report.ExitCode);
        Assert.StartsWith("config.", Failure(report).Code, StringComparison.Ordinal);
        AssertNoSecret(report, "Not-The-Key-Pass", Password);
        Assert.All(await server.SettleAsync(), c => Assert.Empty(c.RawReceived));
    }

    [Fact]
    public async Task Plain_server_behind_tls_true_is_a_handshake_failure()
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Users = [Alice] });
        var report = await CheckAsync(UriFor(server.Port, TlsOptions(certs)));

        Assert.Equal(Verdicts.Rejected, report.Verdict);
        Assert.Contains(Failure(report).Code, new[] { FindingCodes.TlsHandshakeFailed, FindingCodes.ServerClosed });
        Assert.Empty(Assert.Single(server.Connections).Commands);
    }

    [Fact]
    public async Task Internal_error_alert_points_at_the_ip_access_list()
    {
        await using var peer = new TlsAlertPeer(TlsAlertPeer.InternalError);
        var report = await CheckAsync(UriFor(peer.Port, TlsOptions(certs)));

        Assert.True(peer.ClientHelloSeen);
        var failure = Failure(report);
        Assert.Equal(FindingCodes.TlsInternalErrorAlert, failure.Code);
        Assert.Contains("internal error", failure.Message, StringComparison.Ordinal);
        Assert.Contains("IP access list", failure.Remedy, StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Server_without_a_shared_cipher_is_no_shared_cipher()
    {
        Assert.True(OpenSslServer.Available, "openssl is needed");
        var (cert, key) = WriteServerPem("nocipher");

        // Anonymous DH only: no current TLS client offers it, so OpenSSL answers "no shared cipher" with a handshake_failure alert.
        await using var server = await OpenSslServer.StartAsync("-cert", cert, "-key", key, "-tls1_2", "-cipher", "ADH-AES128-SHA:@SECLEVEL=0");
        var report = await CheckAsync(UriFor(server.EndPoint.Port, TlsOptions(certs)));

        var failure = Failure(report);
        Assert.Equal(FindingCodes.TlsNoSharedCipher, failure.Code);
        Assert.Contains("handshake failure", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Server_limited_to_tls11_is_a_protocol_version_failure()
    {
        Assert.True(OpenSslServer.Available, "openssl is needed");
        var (cert, key) = WriteServerPem("tls11");
        await using var server = await OpenSslServer.StartAsync("-cert", cert, "-key", key, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        var report = await CheckAsync(UriFor(server.EndPoint.Port, TlsOptions(certs)));

        var failure = Failure(report);
        Assert.Equal(FindingCodes.TlsProtocolVersion, failure.Code);
        Assert.Contains("TLS 1.2", failure.Remedy, StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Crl_file_revoking_the_server_certificate_is_rejected_and_the_revocation_check_can_be_disabled()
    {
        await using var server = Start();
        var dir = certs.Base.Directory.FullName;
        var revoking = CertFactory.WritePem(Path.Combine(dir, "revoking.crl.pem"), certs.Base.Root.CreateCrlPem([certs.Base.Server]));
        var empty = CertFactory.WritePem(Path.Combine(dir, "empty.crl.pem"), certs.Base.Root.CreateCrlPem([]));

        var revoked = await CheckAsync(UriFor(server.Port, TlsOptions(certs, $"&tlsCRLFile={Escape(revoking)}")));
        Assert.Equal(FindingCodes.CertRevoked, Failure(revoked).Code);
        Assert.Equal(1, revoked.ExitCode);
        Assert.Equal([revoking], revoked.Policy!.CrlFiles);

        var clean = await CheckAsync(UriFor(server.Port, TlsOptions(certs, $"&tlsCRLFile={Escape(empty)}")));
        Assert.Equal(Verdicts.Ok, clean.Verdict);
        Assert.Equal("passed", Assert.Single(clean.Tls!.Validation, s => s.Step == "revocation").Outcome);

        var disabled = await CheckAsync(UriFor(server.Port, TlsOptions(certs, $"&tlsCRLFile={Escape(revoking)}&tlsDisableCertificateRevocationCheck=true")));
        Assert.Equal(Verdicts.Ok, disabled.Verdict);
        Assert.Empty(disabled.Policy!.CrlFiles);
    }

    private (string Cert, string Key) WriteServerPem(string name)
    {
        var dir = certs.Base.Directory.FullName;
        return (CertFactory.WritePem(Path.Combine(dir, name + "-cert.pem"), certs.Base.Server.CertificatePem),
            CertFactory.WritePem(Path.Combine(dir, name + "-key.pem"), certs.Base.Server.PrivateKeyPem, secret: true));
    }
}
