using System.Diagnostics;
using System.Globalization;

namespace DbTls.Fuzz.Engine;

/// <summary>What one target's run produced; printed as one line and summed by run.sh.</summary>
internal sealed record FuzzResult(string Target, long Inputs, int Crashes, int DistinctCrashes, int Outcomes, int Seeds, long MaxAllocation, TimeSpan Elapsed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"target={Target} inputs={Inputs} crashes={Crashes} distinct-crashes={DistinctCrashes} hangs=0 seeds={Seeds} outcomes={Outcomes} max-alloc-kib={MaxAllocation / 1024} seconds={Elapsed.TotalSeconds:F1} rate={Inputs / Math.Max(Elapsed.TotalSeconds, 0.001):F0}/s");
}

/// <summary>
/// The mutation loop for one target: every seed first as it is, then mutants of the pool. The pool
/// starts as the seeds and keeps every input that ended in a refusal not seen before (a new finding
/// code or message), a cheap stand-in for coverage feedback. Deterministic for a seed and an input count.
/// </summary>
internal sealed class FuzzRunner(FuzzOptions options)
{
    private const int MaxPool = 4096;

    public FuzzResult Run(FuzzTarget target)
    {
        var seeds = new Corpus(options.CorpusRoot).Load(target.Name);
        if (seeds.Count == 0)
        {
            Console.Error.WriteLine($"{target.Name}: no seed files in {Path.Combine(options.CorpusRoot, target.Name)}; starting from an empty input");
            seeds.Add([]);
        }

        var pool = new List<byte[]>(seeds);
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        var crashKeys = new HashSet<string>(StringComparer.Ordinal);
        var mutator = new Mutator(options.Seed ^ StableHash(target.Name), target.Dictionary, target.MaxInputLength);
        var crashes = 0;
        long maxAllocation = 0;
        var clock = Stopwatch.StartNew();
        var timeout = options.Timeout > target.MinimumTimeout ? options.Timeout : target.MinimumTimeout;
        using var watchdog = new Watchdog(timeout, (input, elapsed) =>
        {
            var path = Corpus.SaveCrash(options.CrashRoot, target.Name, "hang", input, $"hang: still running after {elapsed.TotalSeconds:F1} s");
            Console.Out.WriteLine($"HANG {target.Name}: input ran for more than {timeout.TotalSeconds:F1} s; saved {path}");
            Console.Out.Flush();
        });

        long inputs = 0;
        var nextProgress = TimeSpan.FromSeconds(30);
        for (; ; inputs++)
        {
            if (clock.Elapsed >= nextProgress)
            {
                // Long runs say where they are; stderr keeps stdout to one result line per target.
                Console.Error.WriteLine($"  {target.Name}: {inputs} inputs, {crashes} crashes, {signatures.Count} outcomes after {clock.Elapsed.TotalSeconds:F0} s");
                nextProgress += TimeSpan.FromSeconds(30);
            }

            if (options.Inputs is { } limit ? inputs >= limit : clock.Elapsed.TotalSeconds >= options.Seconds)
            {
                break;
            }

            var input = inputs < seeds.Count
                ? seeds[(int)inputs]
                : mutator.Mutate(Pick(mutator, pool, seeds.Count), pool[mutator.Next(pool.Count)]);
            var (exception, allocated) = Execute(target, input, watchdog);
            maxAllocation = Math.Max(maxAllocation, allocated);
            var reason = Reason(exception, allocated);
            if (reason is not null)
            {
                crashes++;
                var key = Verdict.CrashKey(exception, reason);
                if (crashKeys.Add(key))
                {
                    Report(target, input, exception, reason, key, watchdog);
                }

                continue;
            }

            if (signatures.Add(Verdict.Signature(exception)) && pool.Count < MaxPool)
            {
                pool.Add(input);
            }
        }

        return new FuzzResult(target.Name, inputs, crashes, crashKeys.Count, signatures.Count, seeds.Count, maxAllocation, clock.Elapsed);
    }

    /// <summary>Runs one input and returns the exception it ended in (null when accepted) and the bytes it allocated.</summary>
    public static (Exception? Exception, long Allocated) Execute(FuzzTarget target, byte[] input, Watchdog? watchdog)
    {
        watchdog?.Begin(input);
        var before = GC.GetTotalAllocatedBytes(precise: false);
        try
        {
            target.Run(input);
            return (null, GC.GetTotalAllocatedBytes(precise: false) - before);
        }
        catch (Exception ex)
        {
            return (ex, GC.GetTotalAllocatedBytes(precise: false) - before);
        }
        finally
        {
            watchdog?.End();
        }
    }

    private string? Reason(Exception? exception, long allocated) =>
        Verdict.CrashReason(exception)
        ?? (allocated > options.MaxAllocationBytes ? $"unbounded allocation: {allocated / (1024 * 1024)} MiB for one input" : null);

    private void Report(FuzzTarget target, byte[] input, Exception? exception, string reason, string key, Watchdog watchdog)
    {
        var minimal = Minimizer.Minimize(input, candidate =>
        {
            var (e, a) = Execute(target, candidate, watchdog);
            return Reason(e, a) is { } r ? Verdict.CrashKey(e, r) : null;
        });
        var description = $"{reason}\n\ncrash key: {key}\n\n{exception}";
        var path = Corpus.SaveCrash(options.CrashRoot, target.Name, "crash", minimal, description);
        Console.Out.WriteLine($"CRASH {target.Name}: {reason}");
        Console.Out.WriteLine($"  minimised to {minimal.Length} bytes (from {input.Length}): {Convert.ToHexStringLower(minimal.AsSpan(0, Math.Min(minimal.Length, 96)))}{(minimal.Length > 96 ? "…" : "")}");
        Console.Out.WriteLine($"  saved {path}");
    }

    private static byte[] Pick(Mutator mutator, List<byte[]> pool, int seedCount) =>
        mutator.Next(2) == 0 ? pool[mutator.Next(seedCount)] : pool[mutator.Next(pool.Count)];

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, which would make runs unrepeatable.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
