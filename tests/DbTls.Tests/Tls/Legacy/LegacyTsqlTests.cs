using System.Diagnostics;
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

    private sealed record TsqlResult(int ExitCode, string Output)
    {
        public string? Row => Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("\tTSQL\t", StringComparison.Ordinal));

        public override string ToString() => $"tsql exit {ExitCode}\n{Output}";
    }

    private async Task<TsqlResult> RunTsqlAsync(TdsTestServer server, string conf)
    {
        var start = new ProcessStartInfo("tsql") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-S", "legacy", "-U", server.Options.User, "-P", server.Options.Password })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FREETDSCONF"] = conf;
        start.Environment["HOME"] = _dir; // no ~/.freetds.conf from the machine
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tsql (apt-get install freetds-bin)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync($"{Wire.Tds.SqlClientFidelityTests.Query}\ngo\nexit\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new TsqlResult(process.ExitCode, await output + await error);
    }
}
