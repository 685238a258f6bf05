using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// The MongoDB URI's revocation options mapped onto the policy, from the OCSP Support specification
/// ("MongoClient Configuration", "How OCSP interacts with existing configuration options") and PyMongo,
/// then the specification's integration test matrix run against real servers through that mapping.
/// </summary>
[Trait("Category", "Integration")]
[Collection("ocsp")]
public class MongoOcspOptionsTests(OcspPki pki)
{
    public enum Crl
    {
        None,
        LeafOnly,
    }

    [Theory]
    // query: whether the responder is asked; staple: whether staples/Must-Staple are checked at all.
    [InlineData("tls=true", true, true, Crl.None, VerificationLevel.ChainAndHostName)]
    [InlineData("tls=true&tlsDisableOCSPEndpointCheck=false", true, true, Crl.None, VerificationLevel.ChainAndHostName)]
    [InlineData("tls=true&tlsDisableOCSPEndpointCheck=true", true, false, Crl.None, VerificationLevel.ChainAndHostName)] // staple still used, no request
    [InlineData("tls=true&tlsDisableCertificateRevocationCheck=true", false, false, Crl.None, VerificationLevel.ChainAndHostName)] // no OCSP, no CRL
    [InlineData("tls=true&tlsDisableCertificateRevocationCheck=false", true, true, Crl.None, VerificationLevel.ChainAndHostName)]
    [InlineData("tls=true&tlsInsecure=true", false, false, Crl.None, VerificationLevel.None)] // "MUST disable OCSP"
    [InlineData("tls=true&tlsAllowInvalidCertificates=true", false, false, Crl.None, VerificationLevel.None)] // "MUST disable OCSP"
    [InlineData("tls=true&tlsAllowInvalidHostnames=true", true, true, Crl.None, VerificationLevel.Chain)] // chain still verified, so OCSP stays
    [InlineData("tls=true&tlsCRLFile=%2Fc%2Fcrl.pem", false, false, Crl.LeafOnly, VerificationLevel.ChainAndHostName)] // PyMongo: CRL or OCSP, not both
    [InlineData("tls=true&tlsCRLFile=%2Fc%2Fcrl.pem&tlsDisableCertificateRevocationCheck=true", false, false, Crl.None, VerificationLevel.ChainAndHostName)]
    [InlineData("tls=true&tlsCRLFile=%2Fc%2Fcrl.pem&tlsInsecure=true", false, false, Crl.None, VerificationLevel.None)]
    [InlineData("tls=false", false, false, Crl.None, VerificationLevel.None)]
    public void Uri_options_map_onto_the_revocation_policy(string options, bool staple, bool query, Crl crl, VerificationLevel verification)
    {
        var policy = MongoConnectionString.Parse($"mongodb://h/?{options}").Tls;

        Assert.Equal(verification, policy.Verification);
        Assert.Equal(staple, policy.Revocation.Ocsp.Enabled);
        Assert.Equal(query, policy.Revocation.Ocsp.Enabled && policy.Revocation.Ocsp.QueryResponder);
        Assert.Equal(crl == Crl.LeafOnly, policy.Revocation.Enabled);
        if (crl == Crl.LeafOnly)
        {
            Assert.Equal(RevocationScope.LeafOnly, policy.Revocation.Scope);
        }

        if (policy.Revocation.Ocsp.Enabled)
        {
            Assert.False(policy.Revocation.Ocsp.HardFail);                                   // soft fail: the spec's default
            Assert.Equal(TimeSpan.FromSeconds(5), policy.Revocation.Ocsp.ResponderTimeout); // the spec's default timeout
        }
    }

    [Theory]
    [InlineData("tlsInsecure=true&tlsDisableOCSPEndpointCheck=true")]
    [InlineData("tlsInsecure=true&tlsDisableCertificateRevocationCheck=true")]
    [InlineData("tlsAllowInvalidCertificates=true&tlsDisableOCSPEndpointCheck=true")]
    [InlineData("tlsAllowInvalidCertificates=true&tlsDisableCertificateRevocationCheck=true")]
    [InlineData("tlsDisableOCSPEndpointCheck=true&tlsDisableCertificateRevocationCheck=true")]
    [InlineData("tlsDisableOCSPEndpointCheck=false&tlsDisableCertificateRevocationCheck=false")] // presence, not value, conflicts
    public void Combinations_the_specification_forbids_are_errors(string options) =>
        Assert.Equal(FindingCodes.ConfigInvalid, Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse($"mongodb://h/?tls=true&{options}")).Code);

    public enum Server
    {
        ValidStapling,
        RevokedStapling,
        ValidNotStapling,
        RevokedNotStapling,
        NoResponderNotStapling,
        MustStapleRevokedNotStapling,
        MustStapleNoResponderNotStapling,
    }

    /// <summary>The OCSP Support test plan's matrix ("Integration Tests: Permutations to Be Tested"); OK/FAIL exactly as the table says.</summary>
    [Theory]
    [InlineData("tls=true", Server.ValidStapling, true)]
    [InlineData("tls=true", Server.RevokedStapling, false)]
    [InlineData("tls=true", Server.ValidNotStapling, true)]
    [InlineData("tls=true", Server.RevokedNotStapling, false)]
    [InlineData("tls=true", Server.NoResponderNotStapling, true)]          // Soft Fail Test
    [InlineData("tls=true", Server.MustStapleRevokedNotStapling, false)]   // Malicious Server Test 1
    [InlineData("tls=true", Server.MustStapleNoResponderNotStapling, false)] // Malicious Server Test 2
    [InlineData("tls=true&tlsInsecure=true", Server.RevokedStapling, true)]
    [InlineData("tls=true&tlsInsecure=true", Server.RevokedNotStapling, true)]
    [InlineData("tls=true&tlsInsecure=true", Server.MustStapleNoResponderNotStapling, true)]
    [InlineData("tls=true&tlsAllowInvalidCertificates=true", Server.RevokedStapling, true)]
    [InlineData("tls=true&tlsAllowInvalidCertificates=true", Server.MustStapleRevokedNotStapling, true)]
    [InlineData("tls=true&tlsDisableOCSPEndpointCheck=true", Server.RevokedStapling, false)]
    [InlineData("tls=true&tlsDisableOCSPEndpointCheck=true", Server.RevokedNotStapling, true)]
    [InlineData("tls=true&tlsDisableCertificateRevocationCheck=true", Server.RevokedStapling, true)]
    public async Task Specification_test_matrix(string options, Server kind, bool connects)
    {
        await using var scenario = new OcspScenario(pki);
        var mustStaple = kind is Server.MustStapleRevokedNotStapling or Server.MustStapleNoResponderNotStapling;
        using var server = scenario.Server(mustStaple);
        var revoked = kind is Server.RevokedStapling or Server.RevokedNotStapling or Server.MustStapleRevokedNotStapling;
        if (revoked)
        {
            scenario.Revoked(server, DateTimeOffset.UtcNow.AddDays(-1), "keyCompromise");
        }
        else
        {
            scenario.Good(server);
        }

        string? staple = null;
        if (kind is Server.ValidStapling or Server.RevokedStapling)
        {
            var responder = await scenario.StartResponderAsync(route: false); // the staple alone must decide
            staple = await scenario.FetchResponseFileAsync(server, responder);
        }
        else if (kind is not (Server.NoResponderNotStapling or Server.MustStapleNoResponderNotStapling))
        {
            await scenario.StartResponderAsync();
        }

        var policy = MongoConnectionString.Parse($"mongodb://localhost/?{options}&tlsCAFile={Uri.EscapeDataString(pki.RootFile)}").Tls;
        var (certificate, key) = pki.WriteKeyPair(server);
        await using var tls = StaplingOpenSslServer.Start(certificate, key, staple);
        await using var connection = await Connection.OpenAsync(tls.EndPoint, policy, "localhost");

        Assert.True(connects == (connection.Session is not null), $"{options} / {kind}: {connection.Error?.Code} {connection.Error?.Message}");
    }
}
