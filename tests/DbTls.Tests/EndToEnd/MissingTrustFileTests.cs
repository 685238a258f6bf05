using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Tds;

namespace DbTls.Tests.EndToEnd;

/// <summary>
/// One problem, one answer: a trust file the settings name but that does not exist is cert.root-file-missing, exit 2,
/// verdict failed, in libpq (noticed while reading the string), MongoDB tlsCAFile, JDBC trustStore and FreeTDS ca file
/// (noticed before the handshake), with no TLS byte sent.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MissingTrustFileTests(TdsTestCertificates certs) : IClassFixture<TdsTestCertificates>
{
    private const string Missing = "/nonexistent/dbtls-missing-root.pem";

    private static async Task AssertMissingRootAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await CliRun.RunAsync(["check", connectionString, "--format", "json", "--timeout", "10"], environment);
        var report = ReportJson.Deserialize(result.Stdout)!;
        Assert.True(result.ExitCode == ExitCodes.InvalidInput, result.All);
        Assert.Equal(Verdicts.Failed, report.Verdict);
        Assert.Equal(FindingCodes.CertRootFileMissing, Assert.Single(report.Findings, f => f.Severity == "error").Code);
        Assert.Equal(FindingCatalog.ExitCodeFor(FindingCodes.CertRootFileMissing), result.ExitCode);
    }

    [Fact]
    public Task Libpq_sslrootcert() =>
        AssertMissingRootAsync($"host=127.0.0.1 port=1 sslmode=verify-full sslrootcert={Missing}");

    [Fact]
    public async Task Mongodb_tlsCAFile_before_any_byte()
    {
        var received = 0;
        await using var listener = new LoopbackListener(async (client, ct) =>
        {
            var buffer = new byte[512];
            try
            {
                int n;
                while ((n = await client.GetStream().ReadAsync(buffer, ct)) > 0)
                {
                    Interlocked.Add(ref received, n);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
            }
        });

        await AssertMissingRootAsync($"mongodb://127.0.0.1:{listener.Port}/?tls=true&tlsCAFile={Missing}&directConnection=true&serverSelectionTimeoutMS=5000");
        await listener.StopAcceptingAsync();
        await Task.WhenAll(listener.Handlers);
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Jdbc_trustStore()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions());
        await AssertMissingRootAsync($"jdbc:sqlserver://127.0.0.1:{server.Port};user={server.Options.User};password={{{server.Options.Password}}};encrypt=true;trustStore={Missing};loginTimeout=10");
    }

    [Fact]
    public async Task Freetds_ca_file()
    {
        await using var server = TdsTestServer.Start(certs.ServerOptions());
        var directory = OwnedTempDirectory.Create("dbtls-missing-ca-");
        var conf = Path.Combine(directory, "freetds.conf");
        await File.WriteAllTextAsync(conf, $"""
            [global]
                tds version = 7.4
            [db]
                host = 127.0.0.1
                port = {server.Port}
                encryption = require
                ca file = {Missing}
            """);
        try
        {
            await AssertMissingRootAsync("freetds:db", new Dictionary<string, string> { ["FREETDSCONF"] = conf, ["DBTLS_PASSWORD"] = server.Options.Password });
        }
        finally
        {
            OwnedTempDirectory.TryDelete(directory);
        }
    }
}
