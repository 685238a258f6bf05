using System.Diagnostics;
using Microsoft.Data.SqlClient;

namespace DbTls.Tests.Wire.Tds;

/// <summary>
/// The test assembly's Main. The test host never calls it; tests start the assembly as a child
/// process (<c>dotnet DbTls.Tests.dll &lt;command&gt; ...</c>) when a real client must run with
/// process-wide settings a test cannot change in its own process, such as the trusted roots.
/// </summary>
public static class TestAssemblyEntryPoint
{
    public const string SqlClientQueryCommand = "sqlclient-query";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 3 && args[0] == SqlClientQueryCommand)
        {
            return await SqlClientQueryAsync(args[1], args[2]);
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

        if (args.Length >= 1 && args[0] == EndToEnd.Native.BenchServerHost.Command)
        {
            return await EndToEnd.Native.BenchServerHost.MainAsync(args[1..]);
        }

        await Console.Error.WriteLineAsync("usage: DbTls.Tests sqlclient-query <connection string> <query>");
        return 2;
    }

    /// <summary>Opens a SqlClient connection, runs the query and prints the first row tab-separated.</summary>
    private static async Task<int> SqlClientQueryAsync(string connectionString, string query)
    {
        try
        {
            await using var connection = new SqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new SqlCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                await Console.Error.WriteLineAsync("no row");
                return 1;
            }

            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }

            Console.WriteLine(string.Join('\t', values));
            return 0;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync(e.ToString());
            return 1;
        }
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
