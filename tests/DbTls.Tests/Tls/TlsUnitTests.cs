using System.Security.Authentication;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

/// <summary>Pure functions of the TLS engine: failure classification, session findings, the RFC 6125 matcher.</summary>
public class TlsUnitTests
{
    private static readonly TlsPolicy Policy = new() { Encryption = EncryptionMode.Required };

    private static Exception OpenSslError(string reason) =>
        new AuthenticationException("Authentication failed, see inner exception.", new InvalidOperationException("SSL Handshake failed with OpenSSL error - SSL_ERROR_SSL.", new InvalidOperationException($"error:0A000000:SSL routines::{reason}")));

    [Theory]
    [InlineData("tlsv1 alert protocol version", FindingCodes.TlsProtocolVersion)]
    [InlineData("unsupported protocol", FindingCodes.TlsProtocolVersion)]
    [InlineData("no protocols available", FindingCodes.TlsProtocolVersion)]
    [InlineData("version too low", FindingCodes.TlsProtocolVersion)]
    [InlineData("wrong version number", FindingCodes.TlsHandshakeFailed)]
    [InlineData("sslv3 alert handshake failure", FindingCodes.TlsHandshakeFailed)] // no certificate request seen
    [InlineData("tlsv13 alert certificate required", FindingCodes.ClientCertMissing)]
    [InlineData("no shared cipher", FindingCodes.TlsHandshakeFailed)]
    public void Classifies_openssl_reasons(string reason, string code)
    {
        var (actual, message) = HandshakeFailures.Classify(OpenSslError(reason), Policy, certificateRequested: null, certificateSent: false, certificateOffered: false);
        Assert.Equal(code, actual);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handshake_failure_after_a_certificate_request_without_a_certificate_is_attributed()
    {
        var (code, message) = HandshakeFailures.Classify(OpenSslError("sslv3 alert handshake failure"), Policy, certificateRequested: true, certificateSent: false, certificateOffered: false);
        Assert.Equal(FindingCodes.ClientCertMissing, code);
        Assert.StartsWith("the server requires a client certificate and none was sent", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tlsv1 alert unknown ca", true, true)]
    [InlineData("sslv3 alert bad certificate", true, true)]
    [InlineData("tlsv1 alert decrypt error", false, false)]    // no certificate in play: not ours to blame
    [InlineData("tlsv1 alert access denied", false, false)]
    public void Certificate_judgement_alerts_need_a_certificate_in_play(string reason, bool offered, bool attributed)
    {
        var failure = HandshakeFailures.ClientCertificateFailure(reason, alert: null, requested: null, sent: false, offered: offered);
        Assert.Equal(attributed, failure is not null);
    }

    [Fact]
    public void Version_message_names_the_client_range()
    {
        var policy = Policy with { MinProtocol = TlsProtocolVersion.Tls12, MaxProtocol = TlsProtocolVersion.Tls12 };
        var (_, message) = HandshakeFailures.Classify(OpenSslError("tlsv1 alert protocol version"), policy, null, false, false);
        Assert.Equal("the server does not support any TLS protocol version between TLSv1.2 and TLSv1.2 (tlsv1 alert protocol version)", message);
    }

    [Fact]
    public void Weak_protocol_and_expiring_certificates_are_warnings()
    {
        using var root = CertFactory.CreateRoot();
        var now = DateTimeOffset.UtcNow;
        using var soon = CertFactory.CreateLeaf(root, new CertSpec { CommonName = "soon", NotAfter = now.AddDays(29) });
        using var later = CertFactory.CreateLeaf(root, new CertSpec { CommonName = "later", NotAfter = now.AddDays(31) });

#pragma warning disable SYSLIB0039 // the point is to flag it
        var findings = TlsClient.SessionFindings(SslProtocols.Tls11, [soon.Certificate, later.Certificate, root.Certificate], now);
#pragma warning restore SYSLIB0039
        Assert.Equal([FindingCodes.TlsWeakProtocol, FindingCodes.CertExpiringSoon], findings.Select(f => f.Code));
        Assert.Contains("TLSv1.1", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("\"CN=soon, O=dbtls tests\"", findings[1].Message, StringComparison.Ordinal);
        Assert.All(findings, f => Assert.Equal(Severity.Warning, f.Severity));
        Assert.Empty(TlsClient.SessionFindings(SslProtocols.Tls13, [later.Certificate], now));
    }

    [Fact]
    public void A_chain_expiring_together_gives_one_warning_naming_the_first_to_expire()
    {
        // MongoDB reported leaf, intermediate and root as three warnings; every dialect now gets one per chain.
        var now = DateTimeOffset.UtcNow;
        using var root = CertFactory.Issue(new CertSpec { CommonName = "root soon", IsCertificateAuthority = true, NotBefore = now.AddDays(-1), NotAfter = now.AddDays(20) }, null);
        using var intermediate = CertFactory.Issue(new CertSpec { CommonName = "intermediate soon", IsCertificateAuthority = true, NotBefore = now.AddDays(-1), NotAfter = now.AddDays(15) }, root);
        using var leaf = CertFactory.CreateLeaf(intermediate, new CertSpec { CommonName = "leaf soon", NotAfter = now.AddDays(10) });

        var findings = TlsClient.SessionFindings(SslProtocols.Tls13, [leaf.Certificate, intermediate.Certificate, root.Certificate], now);

        var finding = Assert.Single(findings);
        Assert.Equal(FindingCodes.CertExpiringSoon, finding.Code);
        Assert.StartsWith("certificate \"CN=leaf soon, O=dbtls tests\" expires on", finding.Message, StringComparison.Ordinal);
        Assert.Contains("also in the chain: \"CN=intermediate soon, O=dbtls tests\"", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith("\"CN=root soon, O=dbtls tests\" expires on " + root.Certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) + " (in 19 days)", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db.test", null, new[] { "DNS:db.test" }, true)]
    [InlineData("db.test", "db.test", new[] { "DNS:other.test" }, false)]      // SANs of the host's type exclude the CN
    [InlineData("db.test", "db.test", new[] { "IP:7F000001" }, true)]          // no dNSName SAN: CN used
    [InlineData("127.0.0.1", null, new[] { "DNS:127.0.0.1" }, false)]          // an IP host never matches a dNSName
    [InlineData("127.1", null, new[] { "IP:7F000001" }, true)]                 // .NET parses 127.1 as an address too
    [InlineData("[::1]", null, new[] { "IP:00000000000000000000000000000001" }, true)]
    [InlineData("a.b.dbtls.test", null, new[] { "DNS:*.dbtls.test" }, false)]
    [InlineData("a.dbtls.test", "*.dbtls.test", new string[0], false)]          // no wildcard in the CN
    public void Rfc6125_matcher(string host, string? cn, string[] sans, bool expected)
    {
        using var cert = NameCerts.Create(cn, sans);
        var result = Rfc6125HostNameMatcher.Instance.Match(cert, host);
        Assert.Equal(expected, result.IsMatch);
        Assert.Equal(expected, cert.MatchesHostname(host.Trim('[', ']')));
    }

    [Fact]
    public void Matchers_come_from_the_policy()
    {
        Assert.IsType<LibpqHostNameMatcher>(HostNameMatchers.For(HostNameRules.Libpq));
        Assert.IsType<Rfc6125HostNameMatcher>(HostNameMatchers.For(HostNameRules.Rfc6125));
        Assert.Equal("libpq", HostNameMatchers.For(HostNameRules.Libpq).Name);
    }
}
