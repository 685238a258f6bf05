using DbTls.Diagnostics;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.EndToEnd.Mongo;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Tls.Ocsp;
using static DbTls.Tests.Checks.Mongo.MongoCheckHarness;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>The published binary against the MongoDB test server: TLS with tlsCAFile and SCRAM, then the refusals.</summary>
[Trait("Category", "Native")]
[Trait("Category", "Integration")]
public sealed class NativeMongoTests(MongoCheckCertificates certs) : IClassFixture<MongoCheckCertificates>
{
    private MongoTestServer Start(bool trusted = true) => MongoTestServer.Start(new MongoTestServerOptions
    {
        Certificate = trusted ? certs.Base.Server.Certificate : certs.Untrusted.Certificate,
        Users = [Alice, Legacy],
    });

    [Theory]
    [InlineData("alice", Password, "scram-sha-256")]
    [InlineData("legacy", LegacyPassword, "scram-sha-1")]
    public async Task Scram_login_over_verified_tls(string user, string password, string mechanism)
    {
        await using var server = Start();
        var run = await NativeParity.RunAsync([UriFor(server.Port, TlsOptions(certs), userInfo: $"{user}:{Escape(password)}@"), "--timeout", "10"]);

        Assert.True(run.Native.ExitCode == ExitCodes.Ok, run.Native.ToString());
        Assert.Equal(mechanism, run.Report.Login?.Mechanism);
        Assert.Equal([$"{user}@admin"], run.Report.Server?.AuthenticatedUsers);
        Assert.DoesNotContain(password, run.Native.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_an_authentication_failure()
    {
        await using var server = Start();
        var run = await NativeParity.RunAsync([UriFor(server.Port, TlsOptions(certs), userInfo: "alice:Wrong-Pw-27@"), "--timeout", "10"]);

        Assert.Equal(ExitCodes.Rejected, run.Native.ExitCode);
        Assert.Contains(FindingCodes.AuthFailed, run.Codes);
        Assert.DoesNotContain("Wrong-Pw-27", run.Native.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_from_another_ca_is_refused_before_scram()
    {
        await using var server = Start(trusted: false);
        var run = await NativeParity.RunAsync([UriFor(server.Port, TlsOptions(certs)), "--timeout", "10"]);

        Assert.Equal(ExitCodes.Rejected, run.Native.ExitCode);
        Assert.Contains(FindingCodes.CertUntrusted, run.Codes);
        Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
    }
}

/// <summary>
/// OCSP through the published binary: the server certificates name a real <c>openssl ocsp</c> responder, which
/// both runs ask (no staple), and the binary reaches the same verdict as the in-process run.
/// </summary>
// In the "ocsp" collection: the in-process run clears dbtls' process-wide OCSP cache, which other OCSP tests rely on.
[Trait("Category", "Native")]
[Trait("Category", "Integration")]
[Collection("ocsp")]
public sealed class NativeMongoOcspTests(MongoOcspVerdictCertificates certs) : IClassFixture<MongoOcspVerdictCertificates>
{
    private static readonly MongoTestUser User = new("alice", "admin", "s3cret-Native-Ocsp", DbTls.Wire.Mongo.ScramMechanism.Sha256);

    [Theory]
    [InlineData(OcspCertificateCase.Good, ExitCodes.Ok, null)]
    [InlineData(OcspCertificateCase.Revoked, ExitCodes.Rejected, FindingCodes.TlsOcspRevoked)]
    public async Task Responder_answer_decides(OcspCertificateCase certificate, int exit, string? code)
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = certs.Server(certificate, stapled: false).Certificate,
            CertificateChain = [certs.Pki.Root.Certificate],
            Users = [User],
        });
        var uri = $"mongodb://{User.Name}:{User.Password}@localhost:{server.Port}/?directConnection=true&tls=true&tlsCAFile={Uri.EscapeDataString(certs.Pki.RootFile)}";
        var requestsBefore = certs.ResponderRequests;

        var run = await NativeParity.RunAsync([uri, "--timeout", "10"], beforeInProcess: OcspTestCache.Forget);

        Assert.True(run.Native.ExitCode == exit, run.Native.ToString());
        Assert.Equal(("responder", certificate.ToString().ToLowerInvariant()), (run.Report.Tls?.Ocsp?.Source, run.Report.Tls?.Ocsp?.Status));
        Assert.True(certs.ResponderRequests - requestsBefore >= 2, "each run asks the responder itself");
        if (code is not null)
        {
            Assert.Contains(code, run.Codes);
        }
    }
}
