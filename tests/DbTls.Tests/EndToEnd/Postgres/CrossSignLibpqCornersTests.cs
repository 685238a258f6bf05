using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// Issue 9 §2, libpq corners against real PostgreSQL with psql as the oracle. sslcertmode exists only from libpq 16, so
/// its oracle is psql run on PostgreSQL 18's own libpq (tools/pg18's libpq.so.5.18 through LD_LIBRARY_PATH; psql only
/// calls libpq's stable API), and the test first proves that libpq is the one answering.
/// </summary>
public abstract class CrossSignLibpqCornersTests : IDisposable
{
    private readonly PostgresFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-corners-home-").FullName;

    protected CrossSignLibpqCornersTests(PostgresFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private PgCertificateFixtures Certs => _fixture.Certificates;

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Sslcertmode_require_fails_when_no_client_certificate_was_sent_like_libpq_18()
    {
        await _fixture.Server.RestoreDefaultsAsync(); // ssl_ca_file is set, so the server asks every client for a certificate
        var libpq18 = new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = Libpq18Directory() };
        var psqlWithLibpq15 = await Differential.RunPsqlAsync(ConnInfo("sslmode=require sslcertmode=require"), _home);
        Assert.Contains("sslcertmode", psqlWithLibpq15.Detail, StringComparison.Ordinal); // libpq 15 does not know the option

        var withoutCertificate = ConnInfo("sslmode=require sslcertmode=require");
        var psql = await Differential.RunPsqlAsync(withoutCertificate, _home, libpq18);
        var (dbtls, report) = await Differential.RunDbTlsAsync(withoutCertificate, _home);
        _output.WriteLine($"no certificate: psql(libpq 18) {psql} | dbtls {dbtls}");
        Assert.False(psql.Connected);
        Assert.Contains("server accepted connection without a valid SSL certificate", psql.Detail, StringComparison.Ordinal);
        Assert.False(dbtls.Connected);
        Assert.Equal(FindingCodes.ClientCertMissing, Differential.ErrorCode(report));
        Assert.Equal(ExitCodes.Rejected, report.ExitCode);
        Assert.True(report.Tls?.ClientCertificateRequested);
        Assert.False(report.Tls?.ClientCertificateSent);

        var withCertificate = ConnInfo($"sslmode=require sslcertmode=require sslcert={Certs.ClientCertificatePath} sslkey={Certs.ClientKeyPath}");
        var psqlSent = await Differential.RunPsqlAsync(withCertificate, _home, libpq18);
        var (dbtlsSent, sentReport) = await Differential.RunDbTlsAsync(withCertificate, _home);
        _output.WriteLine($"certificate sent: psql(libpq 18) {psqlSent} | dbtls {dbtlsSent}");
        Assert.True(psqlSent.Connected, psqlSent.Detail);
        Assert.True(dbtlsSent.Connected, dbtlsSent.Detail);
        Assert.True(sentReport.Tls?.ClientCertificateSent);
    }

    [Fact]
    public async Task Crl_file_with_a_missing_crl_directory_is_used_as_libpq_uses_it()
    {
        await _fixture.Server.RestoreDefaultsAsync();
        var missingDirectory = Path.Combine(_home, "no-such-crl-dir");
        var root = $"sslmode=verify-full sslrootcert={Certs.RootPath} sslcrldir={missingDirectory}";

        // Both CRLs (root's for the intermediate, intermediate's for the leaf): libpq connects; so must dbtls.
        var (psql, dbtls, report) = await CompareAsync(ConnInfo($"{root} sslcrl={Certs.CrlChainPath}"));
        Assert.True(psql.Connected, psql.Detail);
        Assert.True(dbtls.Connected, dbtls.Detail);
        Assert.Equal(ExitCodes.Ok, report.ExitCode);

        // Only the intermediate's CRL: CRL_CHECK_ALL finds none for the intermediate itself, a certificate failure.
        var (psqlPartial, dbtlsPartial, partial) = await CompareAsync(ConnInfo($"{root} sslcrl={Certs.IntermediateCrlPath}"));
        Assert.False(psqlPartial.Connected);
        Assert.Contains("certificate verify failed", psqlPartial.Detail, StringComparison.Ordinal);
        Assert.False(dbtlsPartial.Connected);
        Assert.Equal(FindingCodes.CertRevocationUnknown, Differential.ErrorCode(partial));
        Assert.Equal(ExitCodes.Rejected, partial.ExitCode);
    }

    private async Task<(Outcome Psql, Outcome DbTls, CheckReport Report)> CompareAsync(string conninfo)
    {
        var psql = await Differential.RunPsqlAsync(conninfo, _home);
        var (dbtls, report) = await Differential.RunDbTlsAsync(conninfo, _home);
        _output.WriteLine($"psql {psql} | dbtls {dbtls}");
        return (psql, dbtls, report);
    }

    private string ConnInfo(string extra) =>
        $"host=localhost port={_fixture.Server.Port} user={PostgresUsers.Any} dbname={PostgresUsers.Database} password={PostgresUsers.AnyPassword} {extra}";

    private static string Libpq18Directory()
    {
        var lib = Path.Combine(Path.GetDirectoryName(PostgresBinaries.BinDirectory(PostgresVersion.V18))!, "lib");
        Assert.True(File.Exists(Path.Combine(lib, "libpq.so.5")), $"PostgreSQL 18's libpq is missing from {lib}");
        return lib;
    }
}

[Collection(Postgres15Collection.Name)]
[Trait("Category", "Integration")]
public sealed class Postgres15CrossSignLibpqCornersTests(Postgres15Fixture fixture, ITestOutputHelper output) : CrossSignLibpqCornersTests(fixture, output);

[Collection(Postgres18Collection.Name)]
[Trait("Category", "Integration")]
public sealed class Postgres18CrossSignLibpqCornersTests(Postgres18Fixture fixture, ITestOutputHelper output) : CrossSignLibpqCornersTests(fixture, output);
