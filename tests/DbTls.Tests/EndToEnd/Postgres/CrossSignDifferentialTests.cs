using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;
using DbTls.Tests.Tls.OpenSsl;
using Xunit.Abstractions;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// Issue 9 §1: a cross-signed root migration (<see cref="CrossSignedHierarchy"/>) served by real PostgreSQL, with psql
/// (libpq, OpenSSL) as the oracle: for every server chain (in order, out of order, leaf only, with an unrelated extra
/// certificate, the old hierarchy) × every trust file (cross certificate before or after R2, expired R1, unrelated
/// certificates) × sslmode verify-ca, verify-full and require-with-root, dbtls must connect exactly when psql does.
/// </summary>
public abstract class CrossSignDifferentialTests : IDisposable
{
    private static readonly string[] Modes = ["require", "verify-ca", "verify-full"];

    private readonly PostgresFixture _fixture;
    private readonly CrossSignedHierarchy _pki;
    private readonly ITestOutputHelper _output;
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-cross-home-").FullName;

    protected CrossSignDifferentialTests(PostgresFixture fixture, CrossSignedHierarchyFixture pki, ITestOutputHelper output)
    {
        _fixture = fixture;
        _pki = pki.Hierarchy;
        _output = output;
    }

    public static IEnumerable<object[]> ServerChains()
    {
        using var names = new CrossSignedHierarchy();
        return names.ServerChains.Keys.Select(k => new object[] { k }).ToList();
    }

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Theory]
    [MemberData(nameof(ServerChains))]
    public async Task Verdict_matches_psql_for_every_trust_file_and_mode(string chain)
    {
        await ServeAsync(chain);
        try
        {
            var disagreements = new List<string>();
            foreach (var trust in _pki.TrustFiles.Keys)
            {
                var trustFile = _pki.WriteTrust(trust);
                foreach (var mode in Modes)
                {
                    var (psql, dbtls, report) = await CompareAsync($"sslmode={mode} sslrootcert={trustFile}");
                    _output.WriteLine($"{(Differential.Agree(psql, dbtls) ? "agree   " : "DISAGREE")} {chain} | {trust} | {mode}: psql {psql} | dbtls {dbtls}");
                    if (!Differential.Agree(psql, dbtls))
                    {
                        disagreements.Add($"{chain} | {trust} | {mode}: psql {psql} vs dbtls {dbtls}");
                    }

                    // The chain is decided by OpenSSL, and the report says so.
                    var chainStep = report.Tls?.Validation.FirstOrDefault(s => s.Step == "chain");
                    Assert.NotNull(chainStep);
                    Assert.Contains("OpenSSL", chainStep.Detail, StringComparison.Ordinal);
                }
            }

            Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
        }
        finally
        {
            await _fixture.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Cross_certificate_before_its_root_is_refused_like_psql_and_named_as_an_order_problem()
    {
        await ServeAsync("L2,I2");
        try
        {
            var (psql, dbtls, report) = await CompareAsync($"sslmode=verify-full sslrootcert={_pki.WriteTrust("cross,R2")}");
            Assert.False(psql.Connected);
            Assert.Contains("certificate verify failed", psql.Detail, StringComparison.Ordinal);
            Assert.False(dbtls.Connected);
            var finding = Assert.Single(report.Findings, f => f.Severity == "error");
            Assert.Equal(FindingCodes.CertUntrusted, finding.Code);
            Assert.Contains("before the self-signed root", finding.Message, StringComparison.Ordinal);
            Assert.Contains("put the self-signed root", finding.Remedy, StringComparison.Ordinal);

            // The same certificates with the root first: both connect.
            var (psqlFixed, dbtlsFixed, _) = await CompareAsync($"sslmode=verify-full sslrootcert={_pki.WriteTrust("R2,cross")}");
            Assert.True(psqlFixed.Connected, psqlFixed.Detail);
            Assert.True(dbtlsFixed.Connected, dbtlsFixed.Detail);
        }
        finally
        {
            await _fixture.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Expired_root_of_the_trust_file_is_named_as_the_users_anchor()
    {
        await ServeAsync("L1,I1");
        try
        {
            var (psql, dbtls, report) = await CompareAsync($"sslmode=verify-ca sslrootcert={_pki.WriteTrust("R1expired")}");
            Assert.False(psql.Connected);
            Assert.Contains("certificate verify failed", psql.Detail, StringComparison.Ordinal);
            Assert.False(dbtls.Connected);
            var finding = Assert.Single(report.Findings, f => f.Severity == "error");
            Assert.Equal(FindingCodes.CertExpired, finding.Code);
            Assert.Contains("the trust anchor", finding.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("on the server", finding.Remedy, StringComparison.Ordinal);
        }
        finally
        {
            await _fixture.Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Leaf_only_server_is_told_that_libpq_never_fetches_intermediates()
    {
        await ServeAsync("L2");
        try
        {
            var (psql, dbtls, report) = await CompareAsync($"sslmode=verify-ca sslrootcert={_pki.WriteTrust("R2")}");
            Assert.False(psql.Connected);
            Assert.False(dbtls.Connected);
            var finding = Assert.Single(report.Findings, f => f.Severity == "error");
            Assert.Equal(FindingCodes.CertUntrusted, finding.Code);
            Assert.Contains("never fetches missing intermediates", finding.Message, StringComparison.Ordinal);
        }
        finally
        {
            await _fixture.Server.RestoreDefaultsAsync();
        }
    }

    private Task ServeAsync(string chain)
    {
        var leaf = _pki.LeafOf(chain);
        return _fixture.Server.ReloadWithCertificatesAsync(new ServerTlsMaterial(CrossSignedHierarchy.Pem(_pki.ServerChains[chain]), leaf.PrivateKeyPem), PostgresTlsSettings.Default);
    }

    private async Task<(Outcome Psql, Outcome DbTls, CheckReport Report)> CompareAsync(string extra)
    {
        var conninfo = $"host=localhost port={_fixture.Server.Port} user={PostgresUsers.Any} dbname={PostgresUsers.Database} password={PostgresUsers.AnyPassword} {extra}";
        var psql = await Differential.RunPsqlAsync(conninfo, _home);
        var (dbtls, report) = await Differential.RunDbTlsAsync(conninfo, _home);
        return (psql, dbtls, report);
    }
}

[Collection(Postgres15Collection.Name)]
[Trait("Category", "Integration")]
public sealed class Postgres15CrossSignDifferentialTests(Postgres15Fixture fixture, CrossSignedHierarchyFixture pki, ITestOutputHelper output)
    : CrossSignDifferentialTests(fixture, pki, output), IClassFixture<CrossSignedHierarchyFixture>;

[Collection(Postgres18Collection.Name)]
[Trait("Category", "Integration")]
public sealed class Postgres18CrossSignDifferentialTests(Postgres18Fixture fixture, CrossSignedHierarchyFixture pki, ITestOutputHelper output)
    : CrossSignDifferentialTests(fixture, pki, output), IClassFixture<CrossSignedHierarchyFixture>;
