using System.Collections.Immutable;
using System.Diagnostics;
using DbTls.Checks;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>
/// Child-process side of the differential matrix (<see cref="TdsDifferentialTests"/>): for each input line the real
/// driver connects, then dbtls checks the same settings, in the same process, so both see the same trust store
/// (SSL_CERT_FILE) and the same private /etc/hosts. One output line per input line:
/// <c>driverConnected \t driverEncrypt \t driverMessage \t dbtlsVerdict \t dbtlsScope \t dbtlsEncrypt \t dbtlsCode</c>.
/// Input lines: <c>sqlclient \t connection string</c>, or <c>freetds \t freetds.conf \t section \t user \t password</c>.
/// </summary>
public static class TdsMatrixChild
{
    public const string Command = "tds-matrix";

    private static readonly CheckOptions Options = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<int> RunAsync(TextReader input, TextWriter output)
    {
        while (await input.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            var (driver, report) = fields[0] switch
            {
                "sqlclient" => (await SqlClientBatch.OneAsync(fields[1]), await TdsCheck.RunAsync(SqlClientConnectionString.Parse(fields[1]), Options, CancellationToken.None)),
                "freetds" => (await TsqlAsync(fields[1], fields[2], fields[3], fields[4]), await TdsCheck.RunAsync(FreeTds(fields[1], fields[2], fields[3], fields[4]), Options, CancellationToken.None)),
                _ => throw new InvalidOperationException($"unknown matrix line kind '{fields[0]}'"),
            };
            await output.WriteLineAsync($"{driver}\t{Describe(report)}");
            await output.FlushAsync();
        }

        return 0;
    }

    private static string Describe(CheckReport report)
    {
        var code = report.Findings.FirstOrDefault(f => f.Severity == "error")?.Code ?? "";
        return $"{report.Verdict}\t{report.Negotiation.Scope}\t{report.Server?.EncryptOption}\t{code}";
    }

    /// <summary>FreeTDS as Debian's tsql is built (GnuTLS), with only the given file and the user and password dbtls takes from --user and DBTLS_PASSWORD.</summary>
    private static TdsConnectionSpec FreeTds(string conf, string section, string user, string password)
    {
        var environment = new FreeTdsEnvironment(
            ImmutableDictionary<string, string>.Empty.Add("FREETDSCONF", conf),
            Path.GetDirectoryName(conf),
            [],
            FreeTdsTlsBackend.GnuTls);
        return FreeTdsConnection.Parse(FreeTdsConnection.Prefix + section, user, environment) with { Password = new Secret(password) };
    }

    /// <summary>tsql runs the verification query; a printed row means it connected, its first column is encrypt_option.</summary>
    private static async Task<string> TsqlAsync(string conf, string section, string user, string password)
    {
        var start = new ProcessStartInfo("tsql")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-S", section, "-U", user, "-P", password })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "FREETDS", "TDSVER", "TDSPORT", "TDSHOST", "TDSDUMP", "TDSDUMPCONFIG" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["FREETDSCONF"] = conf;
        start.Environment["HOME"] = Path.GetDirectoryName(conf);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tsql (apt-get install freetds-bin)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync($"{TdsCheck.ServerViewQuery}\ngo\nexit\n");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // tsql refused the connection and exited before reading its input (broken pipe); its output says why.
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return "ERR\t-1\ttsql timed out";
        }

        var row = (await stdout).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("\tTSQL\t", StringComparison.Ordinal));
        return row is not null
            ? $"OK\t{row.Split('\t')[0]}"
            : $"ERR\t{process.ExitCode}\t{((await stdout) + " " + (await stderr)).ReplaceLineEndings(" | ").Replace('\t', ' ')}";
    }
}
