using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Tests.Oracles.ConvertPeers;

/// <summary>
/// Child-process side of the converted-string peer tests: dbtls check on strings of any dialect, in a process whose
/// trusted roots the parent chose (SSL_CERT_FILE / SSL_CERT_DIR are read once per process, so a test cannot change them
/// in its own). One output line per input line: <c>verdict \t protection \t error codes (comma-separated)</c>.
/// Input lines: <c>dialect \t user \t password \t FREETDSCONF \t options \t connection string</c>, where user and password
/// (may be empty) are given as the CLI's --user and DBTLS_PASSWORD give them, options as its --option KEY=VALUE pairs
/// (space-separated; PyMongo's keyword arguments), and HOME is the directory of FREETDSCONF (or the temp directory).
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

            var fields = line.Split('\t', 6);
            var conf = fields[3];
            var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = conf.Length > 0 ? Path.GetDirectoryName(conf)! : Path.GetTempPath() };
            if (conf.Length > 0)
            {
                variables["FREETDSCONF"] = conf;
            }

            var environment = new CheckEnvironment(variables)
            {
                OsUserName = "tester",
                User = fields[1].Length > 0 ? fields[1] : null,
                Password = fields[2].Length > 0 ? new Secret(fields[2]) : null,
                Options = [.. fields[4].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(o => o.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]))],
            };
            var report = await DialectRegistry.Default.Find(fields[0])!.CheckAsync(fields[5], environment, new CheckOptions { Timeout = TimeSpan.FromSeconds(15) }, CancellationToken.None);
            var codes = string.Join(",", report.Findings.Where(f => f.Severity == "error").Select(f => f.Code).Order(StringComparer.Ordinal));
            await output.WriteLineAsync($"{report.Verdict}\t{report.Protection}\t{codes}");
            await output.FlushAsync();
        }

        return 0;
    }
}
