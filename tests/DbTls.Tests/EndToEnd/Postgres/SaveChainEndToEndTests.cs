using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary><c>--save-chain FILE</c> against a real PostgreSQL 18: the chain as presented, certificates only, whatever the verdict.</summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class SaveChainEndToEndTests(Postgres18Fixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-save-chain-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task<(int Exit, string Err)> CheckAsync(string settings, string file, string user = PostgresUsers.Scram, string password = PostgresUsers.ScramPassword)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string> { ["HOME"] = _home, ["PATH"] = "/usr/bin:/bin", ["PGPASSWORD"] = password };
        var conninfo = $"host=localhost port={fixture.Server.Port} user={user} dbname=postgres {settings}";
        var exit = await DbTls.Cli.Cli.RunAsync(["check", conninfo, "--save-chain", file], stdout, stderr, environment);
        return (exit, stderr.ToString());
    }

    [Theory]
    [InlineData("sslmode=verify-full sslrootcert={root}", ExitCodes.Ok)]
    [InlineData("sslmode=verify-full sslrootcert={wrong}", ExitCodes.Rejected)]
    public async Task The_presented_chain_is_written_as_pem_whatever_the_verdict(string settings, int expectedExit)
    {
        await fixture.Server.RestoreDefaultsAsync();
        var file = Path.Combine(_home, "chain.pem");
        var (exit, stderr) = await CheckAsync(settings
            .Replace("{root}", fixture.Certificates.RootPath, StringComparison.Ordinal)
            .Replace("{wrong}", fixture.Certificates.WrongRootPath, StringComparison.Ordinal), file);

        Assert.True(exit == expectedExit, stderr);
        var pem = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("PRIVATE KEY", pem, StringComparison.Ordinal);
        var saved = new X509Certificate2Collection();
        saved.ImportFromPem(pem);
        // The server sends leaf + intermediate (not the root): exactly those bytes, in wire order.
        Assert.Equal(
            [fixture.Certificates.Good.Leaf.Certificate.RawData, fixture.Certificates.IntermediateCa.Certificate.RawData],
            saved.Select(c => c.RawData));
    }

    [Fact]
    public async Task Without_tls_nothing_is_written_and_stderr_says_why()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var file = Path.Combine(_home, "none.pem");
        var (exit, stderr) = await CheckAsync("sslmode=disable", file, PostgresUsers.Plain, PostgresUsers.PlainPassword);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.False(File.Exists(file));
        Assert.Contains("--save-chain: the server presented no certificate", stderr, StringComparison.Ordinal);
    }
}
