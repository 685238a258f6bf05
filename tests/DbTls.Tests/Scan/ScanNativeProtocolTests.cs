using DbTls.Scan;
using DbTls.Tests.EndToEnd.Native;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Postgres;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Scan;

/// <summary>
/// <c>dbtls scan</c> through the published NativeAOT binary (InvariantGlobalization, trimmed, source-generated
/// JSON) once per protocol: its JSON parses and names the same accepted suites, order, groups and database facts
/// as the in-process scan of the same server.
/// </summary>
internal static class NativeScan
{
    public static async Task<ScanReport> RunAsync(params string[] arguments)
    {
        var binary = await NativeBinary.PathAsync();
        var run = await ProcessRunner.RunAsync(binary, ["scan", .. arguments, "--format", "json"], TimeSpan.FromSeconds(120));
        Assert.False(run.TimedOut, run.ToString());
        Assert.True(run.ExitCode is 0 or 1, run.ToString());
        return ScanJson.Deserialize(run.Stdout) ?? throw new InvalidOperationException($"no scan report: {run}");
    }

    public static void Same(ScanReport inProcess, ScanReport native)
    {
        Assert.Equal(inProcess.Protocol, native.Protocol);
        ScanProtocolComparison.SamePosture(inProcess, native);
        Assert.Equal(inProcess.Certificates.Select(c => c.Sha256), native.Certificates.Select(c => c.Sha256));
        Assert.Equal(inProcess.Findings.Select(f => f.Code).Order(), native.Findings.Select(f => f.Code).Order());
        Assert.Equal(inProcess.ExitCode, native.ExitCode);
    }
}

[Trait("Category", "Native")]
[Trait("Category", "Integration")]
public sealed class ScanNativeProtocolTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    [Fact]
    public async Task TDS_wrapped_strict_and_detected_through_the_native_binary()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On, Strict = TdsStrictMode.Allowed }));
        var target = $"127.0.0.1:{server.Port}";

        foreach (var protocol in new ScanProtocol?[] { ScanProtocol.Tds, ScanProtocol.TdsStrict, null })
        {
            var native = await NativeScan.RunAsync(protocol is { } p ? [target, "--protocol", ScanProtocols.Name(p)] : [target]);
            var inProcess = await ScanLoopback.ScanAsync(server.Port, protocol);

            NativeScan.Same(inProcess, native);
            Assert.Equal(protocol is null, native.ProtocolDetected);
            Assert.Equal(inProcess.Tds!.EncryptionAnswers, native.Tds!.EncryptionAnswers);
            Assert.True(native.Tds.ForcedEncryption);
            Assert.True(native.Tds.Strict);
        }
    }

    [Fact]
    public async Task MongoDB_through_the_native_binary()
    {
        using var mongoCerts = new MongoTestCertificates();
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Certificate = mongoCerts.Server.Certificate });

        var native = await NativeScan.RunAsync($"127.0.0.1:{server.Port}", "--protocol", "mongodb");
        var inProcess = await ScanLoopback.ScanAsync(server.Port, ScanProtocol.Mongo);

        NativeScan.Same(inProcess, native);
        Assert.True(native.Mongo?.ImplicitTls);
        Assert.False(native.Mongo?.PlaintextHelloAnswered);
    }
}

[Collection(Postgres18Collection.Name)]
[Trait("Category", "Native")]
[Trait("Category", "Integration")]
public sealed class ScanNativePostgresProtocolTests(Postgres18Fixture pg)
{
    [Fact]
    public async Task PostgreSQL_18_SSLRequest_and_direct_through_the_native_binary()
    {
        await pg.Server.RestoreDefaultsAsync();

        foreach (var protocol in new[] { ScanProtocol.Postgres, ScanProtocol.PostgresDirect })
        {
            var native = await NativeScan.RunAsync($"127.0.0.1:{pg.Server.Port}", "--protocol", ScanProtocols.Name(protocol));
            var inProcess = await ScanLoopback.ScanAsync(pg.Server.Port, protocol);

            NativeScan.Same(inProcess, native);
            Assert.Equal("S", native.Postgres?.SslRequestAnswer);
            Assert.True(native.Postgres?.DirectTls);
            Assert.True(native.Postgres?.DirectTlsAlpnEnforced);
            Assert.True(native.Postgres?.PlaintextStartupAccepted);
        }
    }
}
