using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Tests.Oracles.ConvertPeers;

/// <summary>
/// Child-process side of the converted-string peer tests: dbtls check on strings of any dialect, in a process whose
/// trusted roots the parent chose (SSL_CERT_FILE / SSL_CERT_DIR are read once per process, so a test cannot change them
/// in its own). One output line per input line: <c>verdict \t protection \t error codes (comma-separated)</c>.
/// Input lines: <c>dialect \t user \t password \t FREETDSCONF (or empty) \t connection string</c>; user and password are
/// given as the CLI's --user and DBTLS_PASSWORD give them, HOME is the directory of FREETDSCONF (or the temp directory).
/// </summary>
public static class PeerCheckChild
{
    public const string Command = "convert-peer-check";

    public static async Task<int> RunAsync(TextReader input, TextWriter output)
    {
        while (await input.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t', 5);
            var conf = fields[3];
            var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = conf.Length > 0 ? Path.GetDirectoryName(conf)! : Path.GetTempPath() };
            if (conf.Length > 0)
            {
                variables["FREETDSCONF"] = conf;
            }

            var environment = new CheckEnvironment(variables) { OsUserName = "tester", User = fields[1], Password = new Secret(fields[2]) };
            var report = await DialectRegistry.Default.Find(fields[0])!.CheckAsync(fields[4], environment, new CheckOptions { Timeout = TimeSpan.FromSeconds(15) }, CancellationToken.None);
            var codes = string.Join(",", report.Findings.Where(f => f.Severity == "error").Select(f => f.Code).Order(StringComparer.Ordinal));
            await output.WriteLineAsync($"{report.Verdict}\t{report.Protection}\t{codes}");
            await output.FlushAsync();
        }

        return 0;
    }
}
