using System.Globalization;
using DbTls.Fuzz.Engine;
using DbTls.Fuzz.Targets;

namespace DbTls.Fuzz;

/// <summary>
/// dbtls' fuzz harness. Usage:
///   DbTls.Fuzz [--seconds S | --inputs N] [--seed S] [--timeout-ms T] [--corpus DIR] [--crashes DIR] [target...]
///   DbTls.Fuzz list
///   DbTls.Fuzz repro &lt;target&gt; &lt;file&gt;
///   DbTls.Fuzz minimize &lt;target&gt; &lt;file&gt; &lt;output&gt;
///   DbTls.Fuzz afl &lt;target&gt;   (under afl-fuzz, see afl.sh)
/// Exit codes: 0 no crash, 1 crashes, 2 usage error, 3 hang (the watchdog ended the process).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["list"] => List(),
                ["repro", var target, var file] => Repro(target, file),
                ["afl", var target] => Afl(target),
                ["minimize", var target, var file, var output] => Minimize(target, file, output),
                _ => Fuzz(args),
            };
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"usage error: {ex.Message}");
            return 2;
        }
    }

    private static int List()
    {
        foreach (var (name, create) in TargetRegistry.All)
        {
            var target = create();
            Console.WriteLine($"{name,-16} {target.Reaches}");
            target.Close();
        }

        return 0;
    }

    private static int Repro(string name, string file)
    {
        var target = Find(name);
        var input = File.ReadAllBytes(file);
        var (exception, allocated) = FuzzRunner.Execute(target, input, null);
        target.Close();
        var reason = Verdict.CrashReason(exception);
        Console.WriteLine($"input: {input.Length} bytes, allocated {allocated / 1024} KiB");
        Console.WriteLine(exception is null ? "accepted" : exception.ToString());
        Console.WriteLine(reason is null ? "verdict: allowed" : $"verdict: CRASH ({reason})");
        return reason is null ? 0 : 1;
    }

    /// <summary>Shrinks a crashing input (an AFL++ finding, say) to the least that crashes the same way.</summary>
    private static int Minimize(string name, string file, string output)
    {
        var target = Find(name);
        var input = File.ReadAllBytes(file);
        var minimal = Minimizer.Minimize(input, candidate =>
        {
            var (exception, _) = FuzzRunner.Execute(target, candidate, null);
            return Verdict.CrashReason(exception) is { } reason ? Verdict.CrashKey(exception, reason) : null;
        });
        target.Close();
        File.WriteAllBytes(output, minimal);
        Console.WriteLine($"{input.Length} → {minimal.Length} bytes: {Convert.ToHexStringLower(minimal)}");
        return 0;
    }

    private static int Afl(string name)
    {
        AflMode.Run(TargetRegistry.Find(name) ?? throw new UsageException($"no target named {name} (see 'list')"));
        return 0;
    }

    private static int Fuzz(string[] args)
    {
        var here = AppContext.BaseDirectory;
        var options = new FuzzOptions { CorpusRoot = "corpus", CrashRoot = "crashes" };
        var names = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = double.Parse(Value(args, ++i), CultureInfo.InvariantCulture), Inputs = null },
                "--inputs" => options with { Inputs = long.Parse(Value(args, ++i), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Value(args, ++i), CultureInfo.InvariantCulture) },
                "--timeout-ms" => options with { Timeout = TimeSpan.FromMilliseconds(int.Parse(Value(args, ++i), CultureInfo.InvariantCulture)) },
                "--corpus" => options with { CorpusRoot = Value(args, ++i) },
                "--crashes" => options with { CrashRoot = Value(args, ++i) },
                var other when other.StartsWith("--", StringComparison.Ordinal) => throw new UsageException($"unknown option {other}"),
                var name => Add(names, name, options),
            };
        }

        var targets = names.Count == 0 ? [.. TargetRegistry.All.Select(t => t.Create())] : names.Select(Find).ToList();
        var runner = new FuzzRunner(options);
        var failed = false;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed={options.Seed} {(options.Inputs is { } n ? $"inputs={n}" : $"seconds={options.Seconds}")} timeout-ms={options.Timeout.TotalMilliseconds} corpus={Path.GetFullPath(options.CorpusRoot)} (harness in {here})"));
        foreach (var target in targets)
        {
            var result = runner.Run(target);
            target.Close();
            Console.WriteLine(result);
            failed |= result.Crashes > 0;
        }

        return failed ? 1 : 0;
    }

    private static FuzzOptions Add(List<string> names, string name, FuzzOptions options)
    {
        names.Add(name);
        return options;
    }

    private static string Value(string[] args, int index) =>
        index < args.Length ? args[index] : throw new UsageException($"{args[index - 1]} needs a value");

    private static FuzzTarget Find(string name) =>
        (TargetRegistry.Find(name) ?? throw new UsageException($"no target named {name} (see 'list')"))();

    private sealed class UsageException(string message) : Exception(message);
}
