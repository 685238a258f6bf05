using System.Globalization;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;
using Xunit.Abstractions;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// dbtls against real PostgreSQL servers, with psql (libpq 15) run on the same conninfo as the
/// reference: for every certificate fixture × every sslmode, with and without a root certificate,
/// both must connect or both must refuse, and when they connect, pg_stat_ssl must agree on whether
/// the session is encrypted (which proves the allow/prefer fallbacks follow libpq's order).
/// </summary>
public abstract class PostgresDifferentialTests : IDisposable
{
    private readonly PostgresFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly string _home;

    protected PostgresDifferentialTests(PostgresFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _home = Directory.CreateTempSubdirectory("dbtls-e2e-home-").FullName;
    }

    protected PostgresServer Server => _fixture.Server;

    protected PgCertificateFixtures Certs => _fixture.Certificates;

    public static IEnumerable<object[]> CertificateCases => CertificateMatrix.Ids;

    public void Dispose()
    {
        Directory.Delete(_home, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected string ConnInfo(string host, string? hostAddr, string user, string? password, string extra)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"host={host} ");
        if (hostAddr is not null)
            builder.Append(CultureInfo.InvariantCulture, $"hostaddr={hostAddr} ");
        builder.Append(CultureInfo.InvariantCulture, $"port={Server.Port} user={user} dbname={PostgresUsers.Database} ");
        if (password is not null)
            builder.Append(CultureInfo.InvariantCulture, $"password={password} ");
        builder.Append(extra);
        return builder.ToString().Trim();
    }

    /// <summary>Runs both clients and records a line for the test log; returns both outcomes.</summary>
    protected async Task<(Outcome Psql, Outcome DbTls, CheckReport Report)> CompareAsync(string conninfo, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psql = await Differential.RunPsqlAsync(conninfo, _home, environment);
        var (dbtls, report) = await Differential.RunDbTlsAsync(conninfo, _home, environment);
        _output.WriteLine($"{(Differential.Agree(psql, dbtls) ? "agree   " : "DISAGREE")} psql {psql} | dbtls {dbtls} {(dbtls.Connected ? "" : "")}| {Redact(conninfo)}");
        return (psql, dbtls, report);
    }

    private static string Redact(string conninfo)
    {
        foreach (var password in PostgresUsers.AllPasswords)
        {
            conninfo = conninfo.Replace(password, "********", StringComparison.Ordinal);
        }

        return conninfo;
    }

    protected async Task InstallAsync(string fixtureName)
    {
        var fixture = Certs[fixtureName];
        if (!ReferenceEquals(Server.CurrentTls, fixture.Material) || Server.CurrentSettings != PostgresTlsSettings.Default)
        {
            await Server.ReloadWithCertificatesAsync(fixture.Material, PostgresTlsSettings.Default);
        }
    }

    [Theory]
    [MemberData(nameof(CertificateCases))]
    public async Task Verdict_matches_psql_for_every_sslmode_with_and_without_root_certificate(string caseId)
    {
        var c = CertificateMatrix.Get(caseId);
        await InstallAsync(c.Fixture);
        var disagreements = new List<string>();
        foreach (var withRoot in new[] { true, false })
        {
            foreach (var mode in CertificateMatrix.SslModes)
            {
                var extra = $"sslmode={mode}" + (withRoot ? $" sslrootcert={Certs.RootPath}" : "");
                var conninfo = ConnInfo(c.Host, c.HostAddr, PostgresUsers.Any, PostgresUsers.AnyPassword, extra);
                var (psql, dbtls, report) = await CompareAsync(conninfo);
                if (!Differential.Agree(psql, dbtls))
                {
                    disagreements.Add($"{extra}: psql {psql} vs dbtls {dbtls}");
                }

                if (withRoot && mode is "verify-full" or "verify-ca")
                {
                    var expected = mode == "verify-full" ? c.VerifyFullCode : c.VerifyCaCode;
                    Assert.Equal(expected, Differential.ErrorCode(report));
                    Assert.Equal(expected is null ? ExitCodes.Ok : ExitCodes.Rejected, report.ExitCode);
                }

                if (!withRoot && mode is "verify-full" or "verify-ca")
                {
                    Assert.Equal(FindingCodes.CertRootFileMissing, Differential.ErrorCode(report));
                }
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [Fact]
    public async Task Report_shows_the_chain_as_presented_and_the_server_agrees_on_the_session()
    {
        await InstallAsync("good");
        var (_, dbtls, report) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Scram, PostgresUsers.ScramPassword, $"sslmode=verify-full sslrootcert={Certs.RootPath}"));
        Assert.True(dbtls.Connected, dbtls.Detail);
        Assert.Equal(Verdicts.Ok, report.Verdict);
        Assert.Equal("sslrequest", report.Negotiation.Method);
        Assert.NotNull(report.Tls);
        Assert.Equal("localhost", report.Tls.Sni);
        Assert.Equal(2, report.Tls.Certificates.Count);
        Assert.Equal(Certs.Good.Leaf.Certificate.Subject, report.Tls.Certificates[0].Subject);
        Assert.Equal(Certs.IntermediateCa.Certificate.Subject, report.Tls.Certificates[1].Subject);
        Assert.Contains("localhost", report.Tls.Certificates[0].DnsNames);
        Assert.All(report.Tls.Validation, step => Assert.NotEqual("failed", step.Outcome));
        Assert.Contains(report.Tls.Validation, step => step.Step == "hostname" && step.Outcome == "passed");
        Assert.NotNull(report.Server);
        Assert.True(report.Server.Ssl);
        Assert.Equal(report.Tls.Protocol, report.Server.Version);
        Assert.Equal(report.Tls.CipherSuite, report.Server.Cipher);
        Assert.StartsWith(Server.ServerVersion.Split(' ')[0], report.Server.ServerVersion, StringComparison.Ordinal);
        Assert.Equal("scram-sha-256-plus", report.Login?.Mechanism);

        await InstallAsync("missing-intermediate");
        var (_, failed, rejected) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Scram, PostgresUsers.ScramPassword, $"sslmode=verify-full sslrootcert={Certs.RootPath}"));
        Assert.False(failed.Connected);
        Assert.Equal(Verdicts.Rejected, rejected.Verdict);
        Assert.NotNull(rejected.Tls);
        Assert.Single(rejected.Tls.Certificates);
        Assert.Contains(rejected.Tls.Validation, step => step.Step == "chain" && step.Outcome == "failed");
        Assert.False(rejected.Login?.Attempted ?? false);
    }

    [Theory]
    [InlineData(PostgresUsers.Scram, PostgresUsers.ScramPassword, "scram-sha-256-plus")]
    [InlineData(PostgresUsers.Md5, PostgresUsers.Md5Password, "md5")]
    [InlineData(PostgresUsers.Password, PostgresUsers.PasswordPassword, "password")]
    public async Task Each_password_mechanism_logs_in_over_tls_like_psql(string user, string password, string mechanism)
    {
        await InstallAsync("good");
        var (psql, dbtls, report) = await CompareAsync(ConnInfo("localhost", null, user, password, $"sslmode=verify-full sslrootcert={Certs.RootPath}"));
        Assert.True(psql.Connected, psql.Detail);
        Assert.True(Differential.Agree(psql, dbtls), $"psql {psql} vs dbtls {dbtls}");
        Assert.Equal(mechanism, report.Login?.Mechanism);

        var (psqlWrong, dbtlsWrong, wrong) = await CompareAsync(ConnInfo("localhost", null, user, password + "x", $"sslmode=verify-full sslrootcert={Certs.RootPath}"));
        Assert.False(psqlWrong.Connected);
        Assert.False(dbtlsWrong.Connected);
        Assert.Equal(FindingCodes.AuthFailed, Differential.ErrorCode(wrong));
        Assert.Equal(ExitCodes.Rejected, wrong.ExitCode);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("allow")]
    [InlineData("prefer")]
    [InlineData("require")]
    [InlineData("verify-full")]
    public async Task Client_certificate_authentication_matches_psql(string mode)
    {
        await InstallAsync("good");
        var root = $"sslrootcert={Certs.RootPath}";
        var withCert = ConnInfo("localhost", null, PostgresUsers.Cert, null, $"sslmode={mode} {root} sslcert={Certs.ClientCertificatePath} sslkey={Certs.ClientKeyPath}");
        var (psql, dbtls, report) = await CompareAsync(withCert);
        Assert.True(Differential.Agree(psql, dbtls), $"with certificate: psql {psql} vs dbtls {dbtls}");
        if (dbtls.Connected)
        {
            Assert.Equal("cert", report.Login?.Mechanism);
            Assert.True(report.Tls?.ClientCertificateSent);
        }

        var withoutCert = ConnInfo("localhost", null, PostgresUsers.Cert, null, $"sslmode={mode} {root}");
        var (psqlNo, dbtlsNo, _) = await CompareAsync(withoutCert);
        Assert.False(psqlNo.Connected);
        Assert.True(Differential.Agree(psqlNo, dbtlsNo), $"without certificate: psql {psqlNo} vs dbtls {dbtlsNo}");
    }

    [Fact]
    public async Task Server_that_only_allows_hostnossl_prefer_falls_back_and_require_fails()
    {
        await InstallAsync("good");
        foreach (var mode in CertificateMatrix.SslModes)
        {
            var conninfo = ConnInfo("localhost", null, PostgresUsers.Plain, PostgresUsers.PlainPassword, $"sslmode={mode} sslrootcert={Certs.RootPath}");
            var (psql, dbtls, report) = await CompareAsync(conninfo);
            Assert.True(Differential.Agree(psql, dbtls), $"sslmode={mode}: psql {psql} vs dbtls {dbtls}");
            if (mode == "prefer")
            {
                Assert.True(dbtls.Connected);
                Assert.False(dbtls.Encrypted);
                Assert.Equal(2, report.Negotiation.Attempts.Count);
                Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsNotUsed);
            }

            if (mode == "require")
            {
                Assert.False(dbtls.Connected);
                Assert.Equal(ExitCodes.Rejected, report.ExitCode);
            }
        }
    }

    [Fact]
    public async Task Allow_connects_in_plaintext_first_and_prefer_encrypts()
    {
        await InstallAsync("good");
        var (_, allow, allowReport) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, "sslmode=allow"));
        Assert.True(allow.Connected);
        Assert.False(allow.Encrypted);
        Assert.Equal("none", allowReport.Negotiation.Method);

        var (_, allowTls, allowTlsReport) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Scram, PostgresUsers.ScramPassword, "sslmode=allow"));
        Assert.True(allowTls.Connected, allowTls.Detail);
        Assert.True(allowTls.Encrypted);
        Assert.Equal(2, allowTlsReport.Negotiation.Attempts.Count);

        var (_, prefer, _) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, "sslmode=prefer"));
        Assert.True(prefer.Connected);
        Assert.True(prefer.Encrypted);
    }

    [Theory]
    [InlineData("revoked", "crl-chain", false)]
    [InlineData("revoked", "none", true)]
    [InlineData("good", "crl-chain", true)]
    [InlineData("good", "intermediate-only", false)]
    [InlineData("revoked", "crl-dir", false)]
    [InlineData("good", "crl-dir", true)]
    public async Task Crl_checking_matches_psql(string fixture, string crl, bool expectConnected)
    {
        await InstallAsync(fixture);
        var crlOption = crl switch
        {
            "crl-chain" => $"sslcrl={Certs.CrlChainPath}",
            "intermediate-only" => $"sslcrl={Certs.IntermediateCrlPath}",
            "crl-dir" => $"sslcrldir={CrlDirectory()}",
            _ => "",
        };
        var conninfo = ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, $"sslmode=verify-full sslrootcert={Certs.RootPath} {crlOption}");
        var (psql, dbtls, report) = await CompareAsync(conninfo);
        Assert.Equal(expectConnected, psql.Connected);
        Assert.True(Differential.Agree(psql, dbtls), $"psql {psql} vs dbtls {dbtls}");
        if (!expectConnected)
        {
            Assert.Contains(Differential.ErrorCode(report), new[] { FindingCodes.CertRevoked, FindingCodes.CertRevocationUnknown });
            Assert.Contains(report.Tls!.Validation, s => s.Step == "revocation" && s.Outcome == "failed");
        }

        if (fixture == "revoked" && !expectConnected)
        {
            Assert.Equal(FindingCodes.CertRevoked, Differential.ErrorCode(report));
        }
    }

    /// <summary>A CRL directory in OpenSSL's hashed layout (<c>openssl rehash</c>), as libpq's sslcrldir expects.</summary>
    private string CrlDirectory()
    {
        var directory = Path.Combine(Certs.Directory, "crldir");
        if (!Directory.Exists(directory))
        {
            var staging = Directory.CreateTempSubdirectory("dbtls-crldir-").FullName;
            File.Copy(Certs.RootCrlPath, Path.Combine(staging, "root.crl.pem"));
            File.Copy(Certs.IntermediateCrlPath, Path.Combine(staging, "intermediate.crl.pem"));
            var rehash = Infrastructure.ProcessRunner.RunAsync(new Infrastructure.ProcessSpec("openssl", ["rehash", staging]), CancellationToken.None).GetAwaiter().GetResult();
            Assert.True(rehash.ExitCode == 0, rehash.ToString());
            Directory.Move(staging, directory);
        }

        return directory;
    }

    [Theory]
    [InlineData(PostgresUsers.Scram, PostgresUsers.ScramPassword, "require")]
    [InlineData(PostgresUsers.Md5, PostgresUsers.Md5Password, "require")]
    [InlineData(PostgresUsers.Scram, PostgresUsers.ScramPassword, "disable")]
    public async Task Channel_binding_matches_psql(string user, string password, string channelBinding)
    {
        await InstallAsync("good");
        var (psql, dbtls, report) = await CompareAsync(ConnInfo("localhost", null, user, password, $"sslmode=verify-full sslrootcert={Certs.RootPath} channel_binding={channelBinding}"));
        Assert.True(Differential.Agree(psql, dbtls), $"psql {psql} vs dbtls {dbtls}");
        if (dbtls.Connected)
        {
            Assert.Equal(channelBinding == "require", report.Login?.ChannelBinding);
        }
        else
        {
            Assert.Equal(FindingCodes.AuthChannelBinding, Differential.ErrorCode(report));
        }
    }

    [Fact]
    public async Task Protocol_range_without_overlap_is_refused_like_psql()
    {
        await Server.ReloadWithCertificatesAsync(Certs.Good.Material, PostgresTlsSettings.Default with { MaxProtocolVersion = "TLSv1.2" });
        try
        {
            var (psql, dbtls, report) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, $"sslmode=verify-full sslrootcert={Certs.RootPath} ssl_min_protocol_version=TLSv1.3"));
            Assert.False(psql.Connected);
            Assert.False(dbtls.Connected);
            Assert.Equal(FindingCodes.TlsProtocolVersion, Differential.ErrorCode(report));

            var (psql12, dbtls12, report12) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, $"sslmode=verify-full sslrootcert={Certs.RootPath}"));
            Assert.True(psql12.Connected && dbtls12.Connected, $"psql {psql12} vs dbtls {dbtls12}");
            Assert.Equal("TLSv1.2", report12.Tls?.Protocol);
            Assert.Equal("TLSv1.2", report12.Server?.Version);
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Server_with_ssl_off_refuses_require_and_prefer_connects_in_plaintext()
    {
        await Server.ReloadWithCertificatesAsync(Certs.Good.Material, PostgresTlsSettings.Default with { Ssl = false });
        try
        {
            var (psql, dbtls, report) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, "sslmode=require"));
            Assert.False(psql.Connected);
            Assert.False(dbtls.Connected);
            Assert.Equal(FindingCodes.ServerTlsUnsupported, Differential.ErrorCode(report));
            Assert.Equal("N", report.Negotiation.Attempts[0].ServerAnswer);

            var (psqlPrefer, dbtlsPrefer, preferReport) = await CompareAsync(ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, "sslmode=prefer"));
            Assert.True(Differential.Agree(psqlPrefer, dbtlsPrefer), $"psql {psqlPrefer} vs dbtls {dbtlsPrefer}");
            Assert.False(dbtlsPrefer.Encrypted);
            Assert.Contains(preferReport.Findings, f => f.Code == FindingCodes.TlsNotUsed);
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Passwords_never_appear_in_reports()
    {
        await InstallAsync("wrong-root");
        foreach (var mode in CertificateMatrix.SslModes)
        {
            var (_, report) = await Differential.RunDbTlsAsync(ConnInfo("localhost", null, PostgresUsers.Any, PostgresUsers.AnyPassword, $"sslmode={mode} sslrootcert={Certs.RootPath}"), _home);
            var json = ReportJson.Serialize(report);
            Assert.DoesNotContain(PostgresUsers.AnyPassword, json, StringComparison.Ordinal);
        }
    }
}

[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class Postgres15DifferentialTests(Postgres15Fixture fixture, ITestOutputHelper output) : PostgresDifferentialTests(fixture, output);

[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class Postgres18DifferentialTests(Postgres18Fixture fixture, ITestOutputHelper output) : PostgresDifferentialTests(fixture, output)
{
    /// <summary>
    /// Direct TLS (PostgreSQL 17+): psql 15 cannot negotiate it, so the reference is psql's verdict
    /// for the same sslmode over SSLRequest — certificate validation must not depend on how TLS started.
    /// </summary>
    [Theory]
    [MemberData(nameof(CertificateCases))]
    public async Task Direct_tls_gives_the_same_verdict_as_sslrequest(string caseId)
    {
        var c = CertificateMatrix.Get(caseId);
        await InstallAsync(c.Fixture);
        foreach (var mode in new[] { "require", "verify-ca", "verify-full" })
        {
            var root = $"sslrootcert={Certs.RootPath}";
            var (psql, _, _) = await CompareAsync(ConnInfo(c.Host, c.HostAddr, PostgresUsers.Any, PostgresUsers.AnyPassword, $"sslmode={mode} {root}"));
            var (direct, report) = await Differential.RunDbTlsAsync(ConnInfo(c.Host, c.HostAddr, PostgresUsers.Any, PostgresUsers.AnyPassword, $"sslmode={mode} {root} sslnegotiation=direct"), Path.GetTempPath());
            Assert.True(psql.Connected == direct.Connected, $"{mode}: psql (sslrequest) {psql} vs dbtls (direct) {direct}");
            Assert.Equal("direct", report.Negotiation.Method);
            if (direct.Connected)
            {
                Assert.True(direct.Encrypted);
                Assert.Equal("postgresql", report.Tls?.Alpn);
            }
        }
    }
}
