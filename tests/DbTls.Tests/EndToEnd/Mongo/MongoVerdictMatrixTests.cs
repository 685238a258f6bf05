using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Checks.Mongo;
using DbTls.Tests.Servers.Mongo;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.EndToEnd.Mongo;

/// <summary>A column of the verdict matrix: one way MongoDB.Driver can be told how to treat the server certificate.</summary>
public enum DriverOptionCase
{
    /// <summary>tls=true: chain, name and validity checked; revocation not (the driver's default).</summary>
    Tls,

    /// <summary>tls=true&amp;tlsInsecure=true: nothing about the certificate is checked.</summary>
    TlsInsecure,

    /// <summary>tls=true and, in code, SslSettings.CheckCertificateRevocation = true (the driver fetches the CRL).</summary>
    RevocationCheckInCode,

    /// <summary>tls=true&amp;tlsDisableCertificateRevocationCheck=true.</summary>
    RevocationCheckDisabled,
}

/// <summary>
/// The certificate fixture matrix against the MongoDB test server, with MongoDB.Driver 3.14 as the judge:
/// for every server certificate and every TLS option the driver can express, does it connect? And does
/// dbtls, given the same option in the URI, reach the same verdict?
/// <para>
/// Where the two cannot be told the same thing the same way, the nearest equivalent is used: the driver
/// trusts the test root through its process's trust store (it silently ignores tlsCAFile), dbtls through
/// tlsCAFile; the driver checks revocation by downloading the CRL named in the certificate (only when
/// SslSettings.CheckCertificateRevocation is set in code), dbtls by reading the same CRL from tlsCRLFile;
/// the driver takes a client certificate in code (SslSettings.ClientCertificates), dbtls from
/// tlsCertificateKeyFile.
/// </para>
/// </summary>
[Trait("Category", "Integration")]
public sealed class MongoVerdictMatrixTests : IClassFixture<MongoVerdictCertificates>
{
    private static readonly MongoTestUser User = new("alice", "admin", "s3cret-Verdict", ScramMechanism.Sha256);

    private readonly MongoVerdictCertificates _certs;

    public MongoVerdictMatrixTests(MongoVerdictCertificates certs) => _certs = certs;

    /// <summary>What MongoDB.Driver does, measured and pinned: (certificate, option, connects).</summary>
    public static TheoryData<ServerCertificateCase, DriverOptionCase, bool> Matrix => new()
    {
        { ServerCertificateCase.Trusted, DriverOptionCase.Tls, true },
        { ServerCertificateCase.Trusted, DriverOptionCase.TlsInsecure, true },
        { ServerCertificateCase.Trusted, DriverOptionCase.RevocationCheckInCode, true },
        { ServerCertificateCase.Trusted, DriverOptionCase.RevocationCheckDisabled, true },
        { ServerCertificateCase.UntrustedRoot, DriverOptionCase.Tls, false },
        { ServerCertificateCase.UntrustedRoot, DriverOptionCase.TlsInsecure, true },
        { ServerCertificateCase.UntrustedRoot, DriverOptionCase.RevocationCheckInCode, false },
        { ServerCertificateCase.UntrustedRoot, DriverOptionCase.RevocationCheckDisabled, false },
        { ServerCertificateCase.WrongHost, DriverOptionCase.Tls, false },
        { ServerCertificateCase.WrongHost, DriverOptionCase.TlsInsecure, true },
        { ServerCertificateCase.WrongHost, DriverOptionCase.RevocationCheckInCode, false },
        { ServerCertificateCase.WrongHost, DriverOptionCase.RevocationCheckDisabled, false },
        { ServerCertificateCase.Expired, DriverOptionCase.Tls, false },
        { ServerCertificateCase.Expired, DriverOptionCase.TlsInsecure, true },
        { ServerCertificateCase.Expired, DriverOptionCase.RevocationCheckInCode, false },
        { ServerCertificateCase.Expired, DriverOptionCase.RevocationCheckDisabled, false },
        // The driver does not check revocation unless told to in code: a revoked certificate passes by default.
        { ServerCertificateCase.RevokedByCrl, DriverOptionCase.Tls, true },
        { ServerCertificateCase.RevokedByCrl, DriverOptionCase.TlsInsecure, true },
        { ServerCertificateCase.RevokedByCrl, DriverOptionCase.RevocationCheckInCode, false },
        { ServerCertificateCase.RevokedByCrl, DriverOptionCase.RevocationCheckDisabled, true },
    };

    internal static string DriverUriOptions(DriverOptionCase option) => option switch
    {
        DriverOptionCase.TlsInsecure => "tls=true&tlsInsecure=true",
        DriverOptionCase.RevocationCheckDisabled => "tls=true&tlsDisableCertificateRevocationCheck=true",
        _ => "tls=true",
    };

    /// <summary>The same column for dbtls: the option in the URI, the root as tlsCAFile, the CRL as tlsCRLFile.</summary>
    private string DbTlsUriOptions(DriverOptionCase option)
    {
        var ca = "tlsCAFile=" + System.Uri.EscapeDataString(_certs.RootPemPath);
        return option switch
        {
            DriverOptionCase.RevocationCheckInCode => $"tls=true&{ca}&tlsCRLFile={System.Uri.EscapeDataString(_certs.CrlPemPath)}",
            _ => $"{DriverUriOptions(option)}&{ca}",
        };
    }

    /// <summary>The finding dbtls must give when it refuses the certificate.</summary>
    private static string RefusalCode(ServerCertificateCase certificate) => certificate switch
    {
        ServerCertificateCase.UntrustedRoot => FindingCodes.CertUntrusted,
        ServerCertificateCase.WrongHost => FindingCodes.CertHostnameMismatch,
        ServerCertificateCase.Expired => FindingCodes.CertExpired,
        ServerCertificateCase.RevokedByCrl => FindingCodes.CertRevoked,
        _ => throw new ArgumentOutOfRangeException(nameof(certificate)),
    };

    /// <summary>dbtls against a fresh server with the same certificate: its verdict must be the driver's.</summary>
    private async Task AssertDbTlsAgreesAsync(ServerCertificateCase certificate, string uriOptions, bool driverConnected, bool requireClientCertificate = false)
    {
        await using var server = StartServer(certificate, requireClientCertificate);
        var report = await MongoCheckHarness.CheckAsync(Uri(server.Port, uriOptions));

        var json = ReportJson.Serialize(report);
        Assert.True(driverConnected == (report.Verdict == Verdicts.Ok),
            $"MongoDB.Driver {(driverConnected ? "connected" : "refused")}, dbtls said {report.Verdict}:\n{json}");
        Assert.DoesNotContain(User.Password, json, StringComparison.Ordinal);
        if (driverConnected)
        {
            Assert.Contains(server.Connections, c => c.AuthenticatedUsers.Contains("alice@admin"));
        }
        else
        {
            Assert.Equal(Verdicts.Rejected, report.Verdict);
            Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
            if (!requireClientCertificate)
            {
                Assert.Contains(RefusalCode(certificate), report.Findings.Select(f => f.Code));
            }
        }
    }

    private static string Uri(int port, string options) =>
        $"mongodb://{User.Name}:{User.Password}@localhost:{port}/?directConnection=true&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000&{options}";

    private MongoTestServer StartServer(ServerCertificateCase certificate, bool requireClientCertificate = false) =>
        MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = _certs.Server(certificate).Certificate,
            RequireClientCertificate = requireClientCertificate,
            ClientCertificateValidator = requireClientCertificate ? c => c.Issuer == _certs.Root.Certificate.Subject : null,
            Users = [User],
        });

    private Task<(bool Connected, string Error)> DriverAsync(int port, string uriOptions, MongoDriverProbe.InCode inCode) =>
        MongoDriverProbe.RunAsync(Uri(port, uriOptions), inCode, _certs.RootPemPath, _certs.Directory);

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Driver_verdict_and_dbtls_verdict_agree(ServerCertificateCase certificate, DriverOptionCase option, bool connects)
    {
        await using var server = StartServer(certificate);
        var crlDownloadsBefore = _certs.CrlDownloads;

        var (connected, error) = await DriverAsync(server.Port, DriverUriOptions(option), new MongoDriverProbe.InCode(CheckCertificateRevocation: option == DriverOptionCase.RevocationCheckInCode));

        Assert.True(connects == connected, $"MongoDB.Driver {(connected ? "connected" : "refused")}; expected {(connects ? "connect" : "refuse")}\n{error}");
        if (connected)
        {
            Assert.Contains(server.Connections, c => c.AuthenticatedUsers.Contains("alice@admin") && c.TlsProtocol is not null);
        }
        else
        {
            // Refused on the certificate: nothing after the TLS handshake, so never a credential.
            Assert.All(server.Connections, c => Assert.Empty(c.AuthenticatedUsers));
            Assert.Contains("certificate", error, StringComparison.OrdinalIgnoreCase);
            if (certificate == ServerCertificateCase.RevokedByCrl)
            {
                Assert.Contains("Revoked", error, StringComparison.Ordinal);
            }
        }

        if (option == DriverOptionCase.RevocationCheckInCode && certificate is ServerCertificateCase.Trusted or ServerCertificateCase.RevokedByCrl)
        {
            Assert.True(_certs.CrlDownloads > crlDownloadsBefore, "the driver decided without fetching the CRL");
        }

        await AssertDbTlsAgreesAsync(certificate, DbTlsUriOptions(option), connected);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Verdicts_agree_with_a_client_certificate_set_in_code(bool giveCertificate, bool connects)
    {
        await using var server = StartServer(ServerCertificateCase.Trusted, requireClientCertificate: true);

        var (connected, error) = await DriverAsync(server.Port, "tls=true", new MongoDriverProbe.InCode(ClientPfxPath: giveCertificate ? _certs.ClientPfxPath : null));

        Assert.True(connects == connected, $"MongoDB.Driver {(connected ? "connected" : "refused")}\n{error}");
        if (connected)
        {
            Assert.Contains(server.Connections, c => c.ClientCertificate?.Subject == _certs.Client.Certificate.Subject);
        }

        var ca = "tlsCAFile=" + System.Uri.EscapeDataString(_certs.RootPemPath);
        var key = giveCertificate ? "&tlsCertificateKeyFile=" + System.Uri.EscapeDataString(_certs.ClientPemPath) : "";
        await AssertDbTlsAgreesAsync(ServerCertificateCase.Trusted, $"tls=true&{ca}{key}", connected, requireClientCertificate: true);
    }
}
