using DbTls.Policy;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// FreeTDS's own tsql (Debian freetds-bin 1.3.17, GnuTLS) and dbtls with the same freetds.conf against the
/// TDS test server speaking only TLS 1.0 or 1.1 inside PRELOGIN packets.
/// <para>
/// Where they disagree it is FreeTDS's version, and the rows say so: in 1.3.17 <c>enable tls v1</c>
/// defaults to yes (FreeTDS enabled TLS 1.0 by default in 2018) and TLS 1.1 has no switch at all; FreeTDS
/// 1.4 turned TLS 1.0 off by default ("Disable TLS v1", 2023) and 1.5 added <c>enable tls v1.1</c>. dbtls
/// follows the current rules, which are also the issue's: legacy versions only by explicit opt-in.
/// </para>
/// </summary>
[Trait("Category", "Integration")]
public sealed class LegacyTsqlTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dbtls-legacy-tsql-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    // Agreement: the explicit opt-in connects, the explicit opt-out refuses TLS 1.0.
    [InlineData(TlsProtocolVersion.Tls10, "enable tls v1 = yes", true, true)]
    [InlineData(TlsProtocolVersion.Tls11, "enable tls v1 = yes", true, true)]
    [InlineData(TlsProtocolVersion.Tls10, "enable tls v1 = no", false, false)]
    // Divergence, FreeTDS 1.3.17 defaults: TLS 1.0 on unless switched off, TLS 1.1 always on.
    [InlineData(TlsProtocolVersion.Tls10, "", true, false)]
    [InlineData(TlsProtocolVersion.Tls11, "", true, false)]
    [InlineData(TlsProtocolVersion.Tls11, "enable tls v1 = no", true, false)]
    public async Task Verdicts_of_tsql_and_dbtls(TlsProtocolVersion serverVersion, string setting, bool tsqlConnects, bool dbtlsConnects)
    {
        await using var server = Start(serverVersion);
        var conf = LegacyTdsClient.WriteFreeTdsConf(_dir, server, certs.RootPemPath, $"  {setting}\n");

        var tsql = await RunTsqlAsync(server, conf);
        var dbtls = await LegacyTdsClient.RunAsync(server, LegacyTdsClient.FreeTdsSpec(conf, server));

        Assert.True(tsqlConnects == (tsql.Row == "TRUE\tTSQL\tSQL"), tsql.ToString());
        Assert.Equal(dbtlsConnects, dbtls.Tls is not null);
        if (!dbtlsConnects)
        {
            Assert.Equal(Diagnostics.FindingCodes.TlsProtocolVersion, dbtls.Failure!.Code);
        }

        var records = await server.WaitForConnectionsAsync(2);
        Assert.Equal(tsqlConnects, records[0].LoginSucceeded);
        Assert.Equal(dbtlsConnects, records[1].LoginSucceeded);
        if (tsqlConnects)
        {
            Assert.Equal(serverVersion == TlsProtocolVersion.Tls10 ? "Tls" : "Tls11", records[0].TlsProtocol);
        }
    }

    [Fact]
    public async Task Both_refuse_an_untrusted_certificate_over_tls10()
    {
        using var other = TdsTestCertificates.Create("localhost");
        await using var server = Start(TlsProtocolVersion.Tls10);
        var conf = LegacyTdsClient.WriteFreeTdsConf(_dir, server, other.RootPemPath, "  enable tls v1 = yes\n");

        var tsql = await RunTsqlAsync(server, conf);
        var dbtls = await LegacyTdsClient.RunAsync(server, LegacyTdsClient.FreeTdsSpec(conf, server));

        Assert.True(tsql.Row is null && tsql.ExitCode != 0, tsql.ToString());
        Assert.Equal(Diagnostics.FindingCodes.CertUntrusted, dbtls.Failure!.Code);
        var records = await server.WaitForConnectionsAsync(2);
        Assert.All(records, r => Assert.Null(r.Login));
    }

    private TdsTestServer Start(TlsProtocolVersion version) =>
        TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, LegacyWrappedTls = version }));

    private Task<TsqlResult> RunTsqlAsync(TdsTestServer server, string conf) => Tsql.RunAsync("legacy", server.Options.User, server.Options.Password, conf, _dir);
}
