using System.Diagnostics;
using DbTls.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DbTls.Tests.Servers.Postgres;

/// <summary>Servers of their own (not the shared ones): starting, stopping and the leak guard leave nothing behind.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresLifecycleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(PostgresVersion.V15)]
    [InlineData(PostgresVersion.V18)]
    public async Task Dispose_stops_the_server_and_leaves_no_process_or_file_behind(PostgresVersion version)
    {
        var server = await PostgresServer.StartAsync(version, PgCertificateFixtures.Shared.Good.Material);
        var pid = server.PostmasterPid;
        var directory = server.BaseDirectory;
        Assert.True(ProcessTable.IsAlive(pid), "postmaster not running");
        var backend = await PsqlRunner.RunAsync(server.ConnInfo(PostgresUsers.Any, PostgresUsers.AnyPassword, "sslmode=require"));
        Assert.True(backend.Succeeded, backend.ToString());

        await server.DisposeAsync();

        Assert.False(ProcessTable.IsAlive(pid), "postmaster still running");
        Assert.False(Directory.Exists(directory), $"{directory} left behind");
        Assert.Empty(await LeftoversAsync(directory));
        output.WriteLine($"PostgreSQL {(int)version}: start {server.StartupTime.TotalMilliseconds:F0} ms, stop {server.ShutdownTime?.TotalMilliseconds:F0} ms");
    }

    [Theory]
    [InlineData(PostgresVersion.V15)]
    [InlineData(PostgresVersion.V18)]
    public async Task A_server_whose_test_process_died_is_stopped_and_removed_by_its_watchdog(PostgresVersion version)
    {
        var server = await PostgresServer.StartAsync(version, PgCertificateFixtures.Shared.Good.Material);
        var pid = server.PostmasterPid;
        var directory = server.BaseDirectory;

        server.AbandonAsIfTestProcessDied();

        Assert.Empty(await LeftoversAsync(directory));
        Assert.False(ProcessTable.IsAlive(pid), "postmaster still running");
        var stopwatch = Stopwatch.StartNew();
        while (Directory.Exists(directory) && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.False(Directory.Exists(directory), $"{directory} left behind");
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_server_that_cannot_start_reports_its_log_and_leaves_nothing_behind()
    {
        var broken = PgCertificateFixtures.Shared.Good.Material with { PrivateKeyPem = PgCertificateFixtures.Shared.WrongRoot.Leaf.PrivateKeyPem };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresServer.StartAsync(PostgresVersion.V15, broken));

        Assert.Contains("private key", error.Message, StringComparison.OrdinalIgnoreCase);
        var directory = System.Text.RegularExpressions.Regex.Match(error.Message, @"directory (/\S+)\)").Groups[1].Value;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "dbtls-pg15-"), directory, StringComparison.Ordinal);
        Assert.Empty(await LeftoversAsync(directory));
        Assert.False(Directory.Exists(directory), $"{directory} left behind");
    }

    // Subprocesses of the watchdog may take a moment to exit after the postmaster did.
    private static async Task<IReadOnlyList<string>> LeftoversAsync(string directory)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var found = ProcessTable.FindByCommandLine(directory);
            if (found.Count == 0 || stopwatch.Elapsed > TimeSpan.FromSeconds(10))
            {
                return found;
            }

            await Task.Delay(50);
        }
    }
}
