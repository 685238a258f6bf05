using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls;

[Trait("Category", "Integration")]
[Collection("tls")]
public class TlsChainTests(TlsPki pki)
{
    [Fact]
    public async Task Good_chain_with_intermediate_reports_everything()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        var session = connection.Ok;
        Assert.Equal("pong", await connection.RoundTripAsync("pong"));
        var report = session.Report;
        Assert.Equal("TLSv1.3", report.Protocol);
        Assert.StartsWith("TLS_", report.CipherSuite, StringComparison.Ordinal);
        Assert.Equal("db.test", report.Sni);
        Assert.Equal("db.test", server.ReceivedSni);
        Assert.Null(report.Alpn);

        // The chain exactly as the server sent it, leaf first; the root is not sent.
        Assert.Equal([leaf.Certificate.Subject, pki.Intermediate.Certificate.Subject], report.Certificates.Select(c => c.Subject));
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(leaf.Certificate.RawData)), report.Certificates[0].Sha256);
        Assert.Equal(["db.test"], report.Certificates[0].DnsNames);
        Assert.True(report.Certificates[1].IsCertificateAuthority);

        Assert.Equal(
            [ValidationSteps.Certificate, ValidationSteps.Chain, ValidationSteps.Purpose, ValidationSteps.Revocation, ValidationSteps.Validity, ValidationSteps.Hostname],
            report.Validation.Select(s => s.Step));
        Assert.Equal(["passed", "passed", "passed", "skipped", "passed", "passed"], report.Validation.Select(s => s.Outcome));
        Assert.Contains("chain of 3 certificates ends at trusted root \"CN=dbtls Test Root CA, O=dbtls tests\"", connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
        Assert.Contains(pki.RootFile, connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
        Assert.Contains("libpq rules", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
        Assert.Empty(session.Findings);
        Assert.Equal(leaf.Certificate.Thumbprint, session.ServerCertificate!.Thumbprint);
    }

    [Fact]
    public async Task Tls12_reports_protocol_and_iana_cipher_name()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate], Protocols = SslProtocols.Tls12 });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        Assert.Equal("TLSv1.2", connection.Ok.Report.Protocol);
        Assert.Matches("^TLS_ECDHE_RSA_WITH_", connection.Ok.Report.CipherSuite!);
    }

    [Fact]
    public async Task Wrong_root_fails_inside_the_handshake_and_keeps_the_chain()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, TlsPki.Policy(new TrustSource.PemFile(pki.OtherRootFile)), "db.test");

        var error = connection.Failed;
        Assert.Equal(FindingCodes.CertUntrusted, error.Code);
        Assert.Contains("unable to get local issuer certificate for \"CN=dbtls Test Intermediate CA, O=dbtls tests\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Report.Certificates.Count);
        Assert.Equal("failed", connection.Step(ValidationSteps.Chain));
        Assert.Contains(pki.OtherRootFile, connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
        Assert.Null(error.Report.Protocol);

        // SslStream (.NET 10 on Linux) runs the callback once OpenSSL has finished the handshake messages,
        // so the server may see its side complete; but the client closes without sending a single
        // application byte (the server echoes everything it reads, and read nothing up to the close).
        await connection.DisposeAsync();
        await server.WaitForConnectionClosedAsync();
        Assert.True(server.WireBytesReceived > 0, "the client never sent its ClientHello");
        Assert.Equal(0, server.ApplicationBytesReceived);
    }

    [Fact]
    public async Task Missing_intermediate_names_the_certificate_without_issuer()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        var error = connection.Failed;
        Assert.Equal(FindingCodes.CertUntrusted, error.Code);
        Assert.Contains("unable to get local issuer certificate for \"CN=db.test, O=dbtls tests\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"CN=dbtls Test Intermediate CA, O=dbtls tests\" was neither sent by the server nor found", error.Message, StringComparison.Ordinal);
        Assert.Single(error.Report.Certificates);
        // The other steps still ran on what could be built.
        Assert.Equal("passed", connection.Step(ValidationSteps.Hostname));
    }

    [Fact]
    public async Task Missing_intermediate_is_found_in_the_trust_file()
    {
        // OpenSSL also uses certificates from the CA file to build the path.
        using var leaf = pki.DbLeaf();
        var both = pki.Write("root-and-intermediate.pem", pki.Root.CertificatePem + pki.Intermediate.CertificatePem);
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate });
        await using var connection = await Connection.OpenAsync(server.EndPoint, TlsPki.Policy(new TrustSource.PemFile(both)), "db.test");

        Assert.Equal("passed", connection.Step(ValidationSteps.Chain));
        Assert.Single(connection.Ok.Report.Certificates);
    }

    [Fact]
    public async Task A_trusted_intermediate_is_not_an_anchor_like_openssl_without_partial_chain()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, TlsPki.Policy(new TrustSource.PemFile(pki.IntermediateFile)), "db.test");

        var error = connection.Failed;
        Assert.Equal(FindingCodes.CertUntrusted, error.Code);
        Assert.Contains("unable to get issuer certificate for \"CN=dbtls Test Intermediate CA, O=dbtls tests\"", error.Message, StringComparison.Ordinal);

        // OpenSSL 3 on the same files: error 2 "unable to get issuer certificate" at depth 1.
        var leafFile = pki.Write("partial-leaf.pem", leaf.CertificatePem);
        var (exit, output) = OpenSslCli.Run("verify", "-CAfile", pki.IntermediateFile, "-untrusted", pki.IntermediateFile, leafFile);
        Assert.NotEqual(0, exit);
        Assert.Contains("unable to get issuer certificate", output, StringComparison.Ordinal);
        var (okExit, _) = OpenSslCli.Run("verify", "-partial_chain", "-CAfile", pki.IntermediateFile, leafFile);
        Assert.Equal(0, okExit); // only X509_V_FLAG_PARTIAL_CHAIN would accept it, and libpq does not set it
    }

    [Fact]
    public async Task Server_sending_an_untrusted_self_signed_certificate()
    {
        using var self = CertFactory.Issue(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"], ExtendedKeyUsages = [CertFactory.ServerAuth] }, null);
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = self.Certificate });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");
        Assert.Contains("self-signed certificate \"CN=db.test, O=dbtls tests\" is not in file", connection.Failed.Message, StringComparison.Ordinal);

        // Pinned: the self-signed certificate itself is the trust anchor, as with sslrootcert=server.crt.
        var pinned = pki.Write("pinned.pem", self.CertificatePem);
        await using var again = await Connection.OpenAsync(server.EndPoint, TlsPki.Policy(new TrustSource.PemFile(pinned)), "db.test");
        Assert.Contains("chain of 1 certificate ends at trusted root", again.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_off_accepts_anything_and_says_so()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate });
        await using var connection = await Connection.OpenAsync(server.EndPoint, TlsPki.Policy(new TrustSource.PemFile("/nonexistent/root.pem"), VerificationLevel.None), "other.test");

        var report = connection.Ok.Report;
        Assert.Equal("passed", connection.Step(ValidationSteps.Certificate));
        Assert.All(report.Validation.Skip(1), s => Assert.Equal("skipped", s.Outcome));
        Assert.StartsWith("not required by this policy; not checked: the trust anchors could not be read", connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
        Assert.Single(report.Certificates);

        // The full verification still ran: the name is wrong, so a stricter setting would reject the server.
        Assert.StartsWith("not required by this policy; checked anyway and a stricter setting would reject it", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
        var warning = Assert.Single(connection.Ok.Findings, f => f.Code == FindingCodes.CertWouldFailVerification);
        Assert.Contains("does not match host name \"other.test\"", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_off_with_a_named_trust_file_judges_the_chain_for_the_report_only()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, TlsPki.Policy(new TrustSource.PemFile(pki.OtherRootFile), VerificationLevel.None), "db.test");

        Assert.Equal("skipped", connection.Step(ValidationSteps.Chain));
        Assert.StartsWith("not required by this policy; checked anyway and a stricter setting would reject it", connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
        Assert.StartsWith("not required by this policy; checked anyway and it would pass", connection.Detail(ValidationSteps.Hostname), StringComparison.Ordinal);
        var warning = Assert.Single(connection.Ok.Findings, f => f.Code == FindingCodes.CertWouldFailVerification);
        Assert.Equal(Severity.Warning, warning.Severity);
    }

    [Fact]
    public async Task Verification_off_raises_no_warning_for_a_certificate_full_verification_accepts()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(VerificationLevel.None), "db.test");

        Assert.All(connection.Report.Validation.Skip(1).Where(s => s.Step != ValidationSteps.Revocation), s => Assert.StartsWith("not required by this policy; checked anyway and it would pass", s.Detail, StringComparison.Ordinal));
        Assert.DoesNotContain(connection.Ok.Findings, f => f.Code == FindingCodes.CertWouldFailVerification);
    }

    [Fact]
    public async Task Chain_only_skips_the_host_name()
    {
        using var leaf = pki.DbLeaf();
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(VerificationLevel.Chain), "other.test");

        Assert.Equal("skipped", connection.Step(ValidationSteps.Hostname));
        Assert.Equal("passed", connection.Step(ValidationSteps.Chain));
    }

    [Fact]
    public async Task Expired_leaf()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = pki.Leaf(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"], NotBefore = now.AddDays(-60), NotAfter = now.AddDays(-2) });
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        var error = connection.Failed;
        Assert.Equal(FindingCodes.CertExpired, error.Code);
        Assert.Contains("certificate has expired: \"CN=db.test, O=dbtls tests\" was valid from", error.Message, StringComparison.Ordinal);
        Assert.Contains(Describe.Date(leaf.Certificate.NotAfter), error.Message, StringComparison.Ordinal);
        Assert.Equal("passed", connection.Step(ValidationSteps.Chain)); // expiry is the validity step's business
    }

    [Fact]
    public async Task Not_yet_valid_leaf()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = pki.Leaf(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"], NotBefore = now.AddDays(2), NotAfter = now.AddDays(60) });
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        Assert.Equal(FindingCodes.CertNotYetValid, connection.Failed.Code);
        Assert.Contains("certificate is not yet valid: \"CN=db.test, O=dbtls tests\" is valid from " + Describe.Date(leaf.Certificate.NotBefore), connection.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_extended_key_usage()
    {
        using var leaf = pki.Leaf(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"], ExtendedKeyUsages = [CertFactory.ClientAuth] });
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        Assert.Equal(FindingCodes.CertWrongPurpose, connection.Failed.Code);
        Assert.Contains("unsuitable certificate purpose: \"CN=db.test, O=dbtls tests\" has extended key usage [clientAuth] without serverAuth", connection.Failed.Message, StringComparison.Ordinal);

        // OpenSSL's ssl_server purpose agrees.
        var leafFile = pki.Write("client-eku.pem", leaf.CertificatePem);
        var (exit, output) = OpenSslCli.Run("verify", "-purpose", "sslserver", "-CAfile", pki.RootFile, "-untrusted", pki.IntermediateFile, leafFile);
        Assert.NotEqual(0, exit);
        Assert.Contains("unsuitable certificate purpose", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purpose_failure_wins_over_expiry_like_openssl()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = pki.Leaf(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"], ExtendedKeyUsages = [CertFactory.ClientAuth], NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-1) });
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        Assert.Equal(FindingCodes.CertWrongPurpose, connection.Failed.Code);
        Assert.Equal("failed", connection.Step(ValidationSteps.Validity)); // still recorded
    }

    [Fact]
    public async Task Expiring_within_30_days_is_a_warning()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = pki.Leaf(new CertSpec { CommonName = "db.test", DnsNames = ["db.test"], NotBefore = now.AddDays(-60), NotAfter = now.AddDays(10) });
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        var finding = Assert.Single(connection.Ok.Findings);
        Assert.Equal(FindingCodes.CertExpiringSoon, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("\"CN=db.test, O=dbtls tests\" expires on", finding.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// An OpenSSL server sends its -cert_chain file as is: here an unrelated root before the
    /// intermediate. The report keeps that wire order (SslStream's ExtraStore preserves it) while the
    /// chain step still finds the path.
    /// </summary>
    [Fact]
    public async Task Chain_is_reported_in_wire_order_even_when_odd()
    {
        using var leaf = pki.DbLeaf();
        var cert = pki.Write($"odd-{Guid.NewGuid():N}.pem", leaf.CertificatePem);
        var key = pki.Write($"odd-{Guid.NewGuid():N}.key", leaf.PrivateKeyPem);
        var chain = pki.Write($"odd-chain-{Guid.NewGuid():N}.pem", pki.OtherRoot.CertificatePem + pki.Intermediate.CertificatePem);
        await using var server = await OpenSslServer.StartAsync("-cert", cert, "-key", key, "-cert_chain", chain);
        await using var connection = await Connection.OpenAsync(server.EndPoint, pki.RootPolicy(), "db.test");

        Assert.Equal(
            [leaf.Certificate.Subject, pki.OtherRoot.Certificate.Subject, pki.Intermediate.Certificate.Subject],
            connection.Report.Certificates.Select(c => c.Subject));
        Assert.Equal("olleh", await connection.RoundTripAsync("hello"));
        Assert.Contains("chain of 3 certificates", connection.Detail(ValidationSteps.Chain), StringComparison.Ordinal);
    }
}
