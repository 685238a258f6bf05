using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Tests.EndToEnd.Mongo;
using DbTls.Tests.EndToEnd.Tds;
using DbTls.Tests.Explain;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Mongo;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Glance;

/// <summary>
/// The corrected string a <c>cert.would-fail-verification</c> warning offers, taken from the report and run: where the
/// original connects through a certificate issued for another host, the corrected string is refused, by dbtls check and
/// by the real driver (Microsoft.Data.SqlClient in process; PyMongo as a child), so the advice is what it claims to be.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StricterCorrectedLiveTests(MongoVerdictCertificates mongoCerts) : IClassFixture<MongoVerdictCertificates>, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-corrected-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task<(int Exit, JsonElement Report)> CheckAsync(string connectionString, string password)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _home, ["PATH"] = "/usr/bin:/bin", ["DBTLS_PASSWORD"] = password };
        var exit = await DbTls.Cli.Cli.RunAsync(["check", connectionString, "--format", "json"], stdout, stderr, environment);
        return (exit, JsonDocument.Parse(stdout.ToString()).RootElement.Clone());
    }

    /// <summary>The corrected string in the warning's remedy: everything from where the dialect's string starts.</summary>
    private static string Corrected(JsonElement report, string start)
    {
        var finding = Assert.Single(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == FindingCodes.CertWouldFailVerification);
        var remedy = finding.GetProperty("remedy").GetString()!;
        var at = remedy.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at > 0, $"no corrected string in: {remedy}");
        return remedy[at..];
    }

    [Fact]
    public async Task SqlClient_TrustServerCertificate_corrected_is_refused_by_dbtls_and_by_SqlClient()
    {
        using var certs = TdsTestCertificates.Create("db.elsewhere.test", includeLoopbackIp: false);
        await using var server = TdsTestServer.Start(certs.ServerOptions(new TdsTestServerOptions { Encryption = PreLoginEncryption.On }));
        var options = server.Options;
        var original = $"Server=tcp:127.0.0.1,{server.Port};User ID={options.User};Password={options.Password};Encrypt=True;TrustServerCertificate=True";

        var (exit, report) = await CheckAsync(original, options.Password);
        Assert.Equal(ExitCodes.Ok, exit);
        var corrected = Corrected(report, "Server=tcp:");
        Assert.Contains("TrustServerCertificate=False", corrected, StringComparison.Ordinal);
        Assert.DoesNotContain(options.Password, corrected, StringComparison.Ordinal);

        // The masked password is the only thing the test puts back; the rest is the remedy as printed.
        var runnable = corrected.Replace("********", options.Password, StringComparison.Ordinal);
        var (strictExit, strictReport) = await CheckAsync(runnable, options.Password);
        Assert.Equal(ExitCodes.Rejected, strictExit);
        Assert.Contains(strictReport.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString()!.StartsWith("cert.", StringComparison.Ordinal));

        Assert.StartsWith("OK", await SqlClientBatch.OneAsync(original + ";Connect Timeout=10"), StringComparison.Ordinal);
        Assert.StartsWith("ERR", await SqlClientBatch.OneAsync(runnable + ";Connect Timeout=10"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MongoDB_tlsInsecure_corrected_is_refused_by_dbtls_and_by_PyMongo()
    {
        var user = new MongoTestUser("alice", "admin", "s3cret-Corrected", ScramMechanism.Sha256);
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Certificate = mongoCerts.Server(ServerCertificateCase.WrongHost).Certificate, Users = [user] });
        var original = $"mongodb://{user.Name}:{user.Password}@localhost:{server.Port}/?directConnection=true&serverSelectionTimeoutMS=5000&tls=true&tlsCAFile={mongoCerts.RootPemPath}&tlsAllowInvalidHostnames=true";

        var (exit, report) = await CheckAsync(original, user.Password);
        Assert.Equal(ExitCodes.Ok, exit);
        var corrected = Corrected(report, "mongodb://");
        Assert.DoesNotContain("tlsAllowInvalidHostnames", corrected, StringComparison.Ordinal);

        var runnable = corrected.Replace("********", user.Password, StringComparison.Ordinal);
        var (strictExit, _) = await CheckAsync(runnable, user.Password);
        Assert.Equal(ExitCodes.Rejected, strictExit);

        var pymongo = await MongoPeerDrivers.RunAsync("pymongo", [original, runnable], mongoCerts.RootPemPath, _home);
        Assert.True(pymongo[0].Connected, pymongo[0].ToString());
        Assert.False(pymongo[1].Connected, pymongo[1].ToString());
    }
}
