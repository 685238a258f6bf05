using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// Issue 9 §2, third bullet: when PostgreSQL rejects our client certificate (revoked through its ssl_crl_file, or issued
/// by a CA its ssl_ca_file does not hold), psql prints the TLS alert the server sent; dbtls must name the same alert.
/// Under TLS 1.3 the alert arrives after the client's handshake, on the first read of the startup exchange; under
/// TLS 1.2 it ends the handshake itself. psql is the oracle for both.
/// </summary>
public abstract class ClientCertificateAlertTests : IDisposable
{
    private readonly PostgresFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-client-alert-home-").FullName;
    private readonly List<IssuedCert> _owned = [];

    protected ClientCertificateAlertTests(PostgresFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private PgCertificateFixtures Certs => _fixture.Certificates;

    public void Dispose()
    {
        _fixture.Server.RestoreDefaultsAsync().GetAwaiter().GetResult();
        foreach (var cert in _owned)
        {
            cert.Dispose();
        }

        Directory.Delete(_home, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Theory]
    [InlineData("TLSv1.3")]
    [InlineData("TLSv1.2")]
    public async Task Revoked_client_certificate_names_the_servers_certificate_revoked_alert(string maxProtocol)
    {
        var initial = _fixture.Server.InitialTls;
        await _fixture.Server.ReloadWithCertificatesAsync(
            initial with { CrlPem = Certs.ClientCa.CreateCrlPem([Certs.ClientCertificate]) },
            _fixture.Server.InitialSettings with { MaxProtocolVersion = maxProtocol });

        await AssertSameAlertAsync($"sslcert={Certs.ClientCertificatePath} sslkey={Certs.ClientKeyPath}", "alert certificate revoked", 44);
    }

    [Theory]
    [InlineData("TLSv1.3")]
    [InlineData("TLSv1.2")]
    public async Task Client_certificate_from_a_ca_the_server_does_not_trust_names_the_unknown_ca_alert(string maxProtocol)
    {
        await _fixture.Server.ReloadAsync(_fixture.Server.InitialSettings with { MaxProtocolVersion = maxProtocol });
        var stranger = Own(CertFactory.CreateLeaf(Own(CertFactory.Issue(new CertSpec { CommonName = "dbtls Stranger Client CA", IsCertificateAuthority = true }, null)),
            new CertSpec { CommonName = PostgresUsers.Cert, ExtendedKeyUsages = [CertFactory.ClientAuth] }));
        var certificate = CertFactory.WritePem(Path.Combine(_home, "stranger.crt"), stranger.CertificatePem, secret: false);
        var key = CertFactory.WritePem(Path.Combine(_home, "stranger.key"), stranger.PrivateKeyPem, secret: true);

        await AssertSameAlertAsync($"sslcert={certificate} sslkey={key}", "alert unknown ca", 48);
    }

    private async Task AssertSameAlertAsync(string certificateOptions, string alert, int number)
    {
        var conninfo = $"host=localhost port={_fixture.Server.Port} user={PostgresUsers.Any} dbname={PostgresUsers.Database} password={PostgresUsers.AnyPassword} sslmode=require {certificateOptions}";
        var psql = await Differential.RunPsqlAsync(conninfo, _home);
        var (dbtls, report) = await Differential.RunDbTlsAsync(conninfo, _home);
        _output.WriteLine($"psql {psql} | dbtls {dbtls}");

        Assert.False(psql.Connected);
        Assert.Contains(alert, psql.Detail, StringComparison.Ordinal);
        Assert.False(dbtls.Connected);
        Assert.Equal(FindingCodes.ClientCertMissing, Differential.ErrorCode(report));
        Assert.Equal(ExitCodes.Rejected, report.ExitCode);
        var finding = report.Findings.First(f => f.Severity == "error");
        Assert.Contains($"{alert} ({number})", finding.Message, StringComparison.Ordinal);
        Assert.Contains("sslcert", finding.Remedy, StringComparison.Ordinal);
        Assert.True(report.Tls?.ClientCertificateSent);
    }

    private IssuedCert Own(IssuedCert cert)
    {
        _owned.Add(cert);
        return cert;
    }
}

[Collection(Postgres15Collection.Name)]
[Trait("Category", "Integration")]
public sealed class Postgres15ClientCertificateAlertTests(Postgres15Fixture fixture, ITestOutputHelper output) : ClientCertificateAlertTests(fixture, output);

[Collection(Postgres18Collection.Name)]
[Trait("Category", "Integration")]
public sealed class Postgres18ClientCertificateAlertTests(Postgres18Fixture fixture, ITestOutputHelper output) : ClientCertificateAlertTests(fixture, output);
