using System.Diagnostics;

namespace DbTls.Tests.Infrastructure;

/// <summary>
/// The test assembly's Main. The test host never calls it; tests start the assembly as a child
/// process (<c>dotnet DbTls.Tests.dll &lt;command&gt; ...</c>) when a real client must run with
/// process-wide settings a test cannot change in its own process, such as the trusted roots.
/// </summary>
public static class TestAssemblyEntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 3 && args[0] == Wire.Tds.SqlClientQueryChild.Command)
        {
            return await Wire.Tds.SqlClientQueryChild.RunAsync(args[1], args[2]);
        }

        if (args.Length >= 1 && args[0] == EndToEnd.Mongo.MongoDriverProbe.Command)
        {
            return await EndToEnd.Mongo.MongoDriverProbe.MainAsync(args[1..]);
        }

        if (args.Length == 1 && args[0] == EndToEnd.Tds.SqlClientBatch.Command)
        {
            return await EndToEnd.Tds.SqlClientBatch.RunAsync(Console.In, Console.Out);
        }

        if (args.Length == 1 && args[0] == EndToEnd.Tds.TdsMatrixChild.Command)
        {
            return await EndToEnd.Tds.TdsMatrixChild.RunAsync(Console.In, Console.Out);
        }

        if (args.Length == 1 && args[0] == Oracles.ConvertPeers.PeerCheckChild.Command)
        {
            return await Oracles.ConvertPeers.PeerCheckChild.RunAsync(Console.In, Console.Out);
        }

        if (args.Length >= 1 && args[0] == EndToEnd.Native.BenchServerHost.Command)
        {
            return await EndToEnd.Native.BenchServerHost.MainAsync(args[1..]);
        }

        if (args.Length >= 1 && args[0] == EndToEnd.Native.FleetBenchHost.Command)
        {
            return await EndToEnd.Native.FleetBenchHost.MainAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync("usage: DbTls.Tests sqlclient-query <connection string> <query>");
        return 2;
    }

    /// <summary>Runs this assembly as a child process and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(TestAssemblyEntryPoint).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the child process did not finish within {timeout}");
        }

        return (process.ExitCode, await output, await error);
    }
}
