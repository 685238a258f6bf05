using System.Diagnostics;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>What FreeTDS's tsql printed: the test query's row when it connected and logged in.</summary>
internal sealed record TsqlResult(int ExitCode, string Output)
{
    public string? Row => Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("\tTSQL\t", StringComparison.Ordinal));

    public override string ToString() => $"tsql exit {ExitCode}\n{Output}";
}

/// <summary>Runs Debian's tsql (freetds-bin 1.3.17, GnuTLS) on one freetds.conf section with the TDS test query.</summary>
internal static class Tsql
{
    /// <param name="home">HOME for tsql, so that no ~/.freetds.conf of the machine is read.</param>
    public static async Task<TsqlResult> RunAsync(string section, string user, string password, string conf, string home)
    {
        var start = new ProcessStartInfo("tsql") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-S", section, "-U", user, "-P", password })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FREETDSCONF"] = conf;
        start.Environment["HOME"] = home;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tsql (apt-get install freetds-bin)");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync($"{Wire.Tds.SqlClientFidelityTests.Query}\ngo\nexit\n");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new TsqlResult(process.ExitCode, await output + await error);
    }
}
