using System.Diagnostics;

namespace DbTls.Tests.Dialects.FreeTds;

/// <summary>Runs FreeTDS's tsql (Debian's freetds-bin) with exactly the environment a scenario gives it.</summary>
internal static class Tsql
{
    private static readonly string[] ScrubbedVariables = ["FREETDSCONF", "FREETDS", "TDSVER", "TDSPORT", "TDSHOST", "TDSDUMP", "TDSDUMPCONFIG"];

    public static string Run(string[] arguments, (string Name, string Value)[] variables, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(PathToTsql())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only the variables of the scenario: a FREETDSCONF or TDSPORT of the test runner must not leak in.
        foreach (var name in ScrubbedVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("tsql did not finish in time");
        }

        return stdout.Result + stderr.Result;
    }

    private static string PathToTsql()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Join(directory, "tsql");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("tsql is not installed: these tests compare the FreeTDS dialect with FreeTDS itself (apt-get install freetds-bin)");
        return string.Empty;
    }
}
