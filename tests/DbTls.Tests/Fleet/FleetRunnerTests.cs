using System.Net.Sockets;
using DbTls.Dialects;
using DbTls.Fleet;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Fleet;

/// <summary>
/// The runner against servers that accept and never answer (the real libpq check waits on them): the deadline ends
/// the run with a net.timeout report for every unfinished target, and the runner never runs more checks at once than
/// asked.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FleetRunnerTests
{
    private static async Task HoldAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            catch (OperationCanceledException)
            {
                // The listener stopped.
            }
        }
    }

    private static TargetRunner RealCheck() =>
        FleetCheck.Create(DialectRegistry.Default, new CheckEnvironment(new Dictionary<string, string> { ["HOME"] = Path.GetTempPath() }) { OsUserName = "tester" });

    [Fact]
    public async Task The_deadline_reports_every_unfinished_target_as_net_timeout_and_ends_the_run()
    {
        await using var silent = new LoopbackListener(HoldAsync);
        var targets = Enumerable.Range(1, 6)
            .Select(i => new FleetTarget($"silent-{i}", $"host=127.0.0.1 port={silent.Port} sslmode=require connect_timeout=60 application_name=t{i}") { Line = i })
            .ToList();
        var runner = new FleetRunner(targets, new FleetOptions { Concurrency = 2, Deadline = TimeSpan.FromSeconds(1) }, RealCheck());
        var results = new List<FleetResult>();
        await runner.RunAsync(r =>
        {
            results.Add(r);
            return ValueTask.CompletedTask;
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(targets.Select(t => t.Name).Order(), results.Select(r => r.Target.Name).Order());
        Assert.All(results, r =>
        {
            var finding = Assert.Single(r.Report.Findings, f => f.Severity == "error");
            Assert.Equal("net.timeout", finding.Code);
            Assert.Contains("--deadline", finding.Message, StringComparison.Ordinal);
            Assert.Equal(3, r.ExitCode);
        });

        // Two were running when the deadline came; the other four never started.
        Assert.Equal(4, results.Count(r => r.Report.Findings.Any(f => f.Message.Contains("not started", StringComparison.Ordinal))));
        Assert.Equal(new FleetProgress(6, 6, 6, 0, null, TimeSpan.Zero), runner.Progress);
    }

    [Fact]
    public async Task No_more_checks_run_at_once_than_the_concurrency()
    {
        await using var silent = new LoopbackListener(HoldAsync);
        var targets = Enumerable.Range(1, 9)
            .Select(i => new FleetTarget($"t{i}", $"host=127.0.0.1 port={silent.Port} sslmode=require connect_timeout=1 application_name=t{i}") { Line = i })
            .ToList();
        var check = RealCheck();
        var running = 0;
        var most = 0;
        TargetRunner counting = async (target, timeout, cancellationToken) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            try
            {
                return await check(target, timeout, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        };
        var runner = new FleetRunner(targets, new FleetOptions { Concurrency = 3 }, counting);
        var seen = new List<int>();
        await runner.RunAsync(_ =>
        {
            seen.Add(runner.Progress.Running);
            return ValueTask.CompletedTask;
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(3, most);
        Assert.All(seen, r => Assert.InRange(r, 0, 3));
        Assert.False(AppContext.TryGetSwitch("DbTls.OneCheckPerProcess", out var oneCheck) && oneCheck);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
