using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Tls.Ocsp;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.EndToEnd.Mongo;

/// <summary>
/// The "revoked by OCSP" rows of the MongoDB verdict matrix: server certificates whose status a real
/// <c>openssl ocsp</c> responder gives (good, revoked, unknown), with and without the test server stapling
/// it, against the options MongoDB.Driver 3.14 can express. Both clients trust the OCSP CA (the driver
/// through its process's trust store, dbtls through tlsCAFile).
/// <para>
/// The driver and dbtls are not always told the same thing: the driver checks revocation only when
/// SslSettings.CheckCertificateRevocation is set in code (then .NET's chain builder asks the responder
/// online and fails hard), while the OCSP Support specification, which dbtls' MongoDB dialect follows
/// like PyMongo, makes every verifying driver check OCSP by default and soft-fail. Such cells record
/// both verdicts; elsewhere the verdicts must be equal.
/// </para>
/// </summary>
// In the "ocsp" collection: the tests clear dbtls' process-wide OCSP cache, which the other OCSP tests rely on.
[Trait("Category", "Integration")]
[Collection("ocsp")]
public sealed class MongoOcspVerdictMatrixTests : IClassFixture<MongoOcspVerdictCertificates>
{
    private static readonly MongoTestUser User = new("alice", "admin", "s3cret-Ocsp-Verdict", ScramMechanism.Sha256);

    private readonly MongoOcspVerdictCertificates _certs;

    public MongoOcspVerdictMatrixTests(MongoOcspVerdictCertificates certs) => _certs = certs;

    /// <summary>
    /// (certificate, stapled, option, MongoDB.Driver connects, dbtls connects) - the driver's column measured,
    /// dbtls' column per the OCSP Support specification.
    /// </summary>
    public static TheoryData<OcspCertificateCase, bool, DriverOptionCase, bool, bool> Matrix()
    {
        var data = new TheoryData<OcspCertificateCase, bool, DriverOptionCase, bool, bool>();
        foreach (var stapled in new[] { false, true })
        {
            // .NET's server stapling (the MongoDB test server) staples good and revoked answers but not "unknown":
            // measured, the staple never arrives, so "unknown" has no stapled rows.
            var unknown = !stapled;

            // tls=true: the driver does not check revocation at all, a revoked certificate passes; the
            // specification makes dbtls ask (staple, then responder) and refuse a revoked one. "unknown" soft-fails.
            data.Add(OcspCertificateCase.Good, stapled, DriverOptionCase.Tls, true, true);
            data.Add(OcspCertificateCase.Revoked, stapled, DriverOptionCase.Tls, true, false);
            if (unknown)
            {
                data.Add(OcspCertificateCase.Unknown, stapled, DriverOptionCase.Tls, true, true);
            }


            // Revocation checked in code: the same question to both (dbtls: tls=true, its default).
            data.Add(OcspCertificateCase.Good, stapled, DriverOptionCase.RevocationCheckInCode, true, true);
            data.Add(OcspCertificateCase.Revoked, stapled, DriverOptionCase.RevocationCheckInCode, false, false);
            if (unknown)
            {
                // Measured: .NET's chain builder treats "unknown" as RevocationStatusUnknown and the driver refuses;
                // the specification says an unknown status settles nothing and soft-fails, so dbtls connects (and warns).
                data.Add(OcspCertificateCase.Unknown, stapled, DriverOptionCase.RevocationCheckInCode, false, true);
            }


            // Revocation explicitly off, or nothing checked: both connect whatever the responder says.
            foreach (var certificate in Enum.GetValues<OcspCertificateCase>().Where(c => unknown || c != OcspCertificateCase.Unknown))
            {
                data.Add(certificate, stapled, DriverOptionCase.RevocationCheckDisabled, true, true);
                data.Add(certificate, stapled, DriverOptionCase.TlsInsecure, true, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Driver_and_dbtls_verdicts_on_OCSP(OcspCertificateCase certificate, bool stapled, DriverOptionCase option, bool driverConnects, bool dbtlsConnects)
    {
        await using var server = await StartServerAsync(certificate, stapled);

        var requestsBefore = _certs.ResponderRequests;
        var uri = Uri(server.Port, MongoVerdictMatrixTests.DriverUriOptions(option));
        var (connected, error) = await MongoDriverProbe.RunAsync(uri, new MongoDriverProbe.InCode(CheckCertificateRevocation: option == DriverOptionCase.RevocationCheckInCode),
            _certs.Pki.RootFile, _certs.Pki.Directory);
        var driverRequests = _certs.ResponderRequests - requestsBefore;

        Assert.True(driverConnects == connected, $"MongoDB.Driver {(connected ? "connected" : "refused")}; expected {(driverConnects ? "connect" : "refuse")} (responder asked {driverRequests}x)\n{error}");
        if (connected)
        {
            Assert.Contains(server.Connections, c => c.AuthenticatedUsers.Contains("alice@admin"));
        }
        else
        {
            Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
            Assert.Contains("certificate", error, StringComparison.OrdinalIgnoreCase);
            // The chain status .NET reports for the responder's (or staple's) answer.
            Assert.Contains(certificate == OcspCertificateCase.Revoked ? "Revoked" : "RevocationStatusUnknown", error, StringComparison.Ordinal);
        }

        if (option == DriverOptionCase.RevocationCheckInCode)
        {
            // Measured: .NET's client takes the server's staple and then asks nobody; without one it asks the responder.
            Assert.True(stapled ? driverRequests == 0 : driverRequests > 0, $"the driver asked the OCSP responder {driverRequests}x (stapled: {stapled})");
        }
        else
        {
            Assert.Equal(0, driverRequests); // the driver's default does not check revocation at all
        }

        await AssertDbTlsAsync(certificate, stapled, option, dbtlsConnects);
    }

    /// <summary>dbtls on a fresh server with the same certificate (and staple): its verdict, finding and OCSP report.</summary>
    private async Task AssertDbTlsAsync(OcspCertificateCase certificate, bool stapled, DriverOptionCase option, bool connects)
    {
        await using var server = await StartServerAsync(certificate, stapled);
        OcspTestCache.Forget(); // each verdict from its own staple or request, not from an earlier test's answer
        var requestsBefore = _certs.ResponderRequests;
        var report = await MongoCheckHarness.CheckAsync(Uri(server.Port, DbTlsUriOptions(option)));
        var requests = _certs.ResponderRequests - requestsBefore;

        var json = ReportJson.Serialize(report);
        Assert.DoesNotContain(User.Password, json, StringComparison.Ordinal);
        Assert.True(connects == (report.Verdict == Verdicts.Ok), $"dbtls said {report.Verdict}, expected {(connects ? "ok" : "rejected")}:\n{json}");
        var codes = report.Findings.Select(f => f.Code).ToList();
        var checksOcsp = option is DriverOptionCase.Tls or DriverOptionCase.RevocationCheckInCode;
        if (connects)
        {
            Assert.Contains(server.Connections, c => c.AuthenticatedUsers.Contains("alice@admin"));
            Assert.DoesNotContain(FindingCodes.TlsOcspRevoked, codes);
            if (checksOcsp && certificate == OcspCertificateCase.Unknown)
            {
                Assert.Contains(FindingCodes.TlsOcspUnknown, codes); // soft fail: accepted, but said
            }
        }
        else
        {
            Assert.Equal(Verdicts.Rejected, report.Verdict);
            Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
            Assert.Contains(FindingCodes.TlsOcspRevoked, codes);
        }

        var ocsp = report.Tls?.Ocsp;
        if (!checksOcsp)
        {
            // tlsInsecure and tlsDisableCertificateRevocationCheck switch OCSP off: no request, no status.
            Assert.Equal(0, requests);
            Assert.Null(ocsp?.Status);
            return;
        }

        Assert.NotNull(ocsp);
        Assert.True(stapled == (ocsp.Stapled == true), json);
        Assert.Equal(certificate.ToString().ToLowerInvariant(), ocsp.Status);
        if (stapled && certificate != OcspCertificateCase.Unknown)
        {
            // A conclusive staple settles it: the responder is not asked.
            Assert.Equal(("stapled", 0), (ocsp.Source, requests));
        }
        else
        {
            Assert.Equal("responder", ocsp.Source);
            Assert.True(requests > 0, "dbtls decided without asking the responder");
        }
    }

    /// <summary>dbtls: the driver's URI option and the CA as tlsCAFile; "revocation checked" is dbtls' default.</summary>
    private string DbTlsUriOptions(DriverOptionCase option) =>
        (option == DriverOptionCase.RevocationCheckInCode ? "tls=true" : MongoVerdictMatrixTests.DriverUriOptions(option))
        + "&tlsCAFile=" + System.Uri.EscapeDataString(_certs.Pki.RootFile);

    private static string Uri(int port, string options) =>
        $"mongodb://{User.Name}:{User.Password}@localhost:{port}/?directConnection=true&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000&{options}";

    /// <summary>A MongoDB test server with the certificate; when stapling, only returned once it really staples.</summary>
    private async Task<MongoTestServer> StartServerAsync(OcspCertificateCase certificate, bool stapled)
    {
        var server = MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = _certs.Server(certificate, stapled).Certificate,
            CertificateChain = [_certs.Pki.Root.Certificate],
            StapleOcsp = stapled,
            Users = [User],
        });
        if (stapled)
        {
            await using var probe = await MongoStapleWarmUp.ConnectUntilStapledAsync(server, _certs.Pki.RootFile);
            Assert.True(probe.Report.Ocsp?.Stapled == true, "the test server never stapled");
        }

        return server;
    }
}
