using DbTls.Tests.EndToEnd.Tds;
using DbTls.Reports;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Oracles.ConvertPeers;

namespace DbTls.Tests.Explain;

/// <summary>
/// Runs SQL Server strings through the real drivers and through dbtls in one child process (<see cref="TdsMatrixChild"/>):
/// Microsoft.Data.SqlClient for <c>sqlclient</c> lines, FreeTDS's tsql (Debian freetds-bin, GnuTLS) for <c>freetds</c>
/// lines. "The system's trusted roots" must mean the same CA for all of them, and they read it from different places:
/// .NET (SqlClient and dbtls) from OpenSSL's SSL_CERT_FILE / SSL_CERT_DIR, GnuTLS (tsql's <c>ca file = system</c>) from
/// its compiled-in /etc/ssl/certs/ca-certificates.crt. So the child runs in a private mount namespace where that file is
/// the test root (bind mount, as SqlClientVerdicts does for /etc/hosts; needs root, as the PostgreSQL harness does), and
/// with SSL_CERT_FILE the same root and SSL_CERT_DIR an empty directory.
/// </summary>
internal static class TdsPeerDrivers
{
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>A check line for a SqlClient string.</summary>
    public static string SqlClientLine(string connectionString) => $"sqlclient\t{connectionString}";

    /// <summary>A check line for a section of a freetds.conf, with the user and password tsql -U / -P and dbtls take beside it.</summary>
    public static string FreeTdsLine(string conf, string section, string user, string password) => $"freetds\t{conf}\t{section}\t{user}\t{password}";

    /// <summary>A line for <see cref="PeerCheckChild"/>: dbtls check alone, on a string of any SQL Server dialect.</summary>
    public static string CheckLine(string dialect, string user, string password, string? conf, string connectionString) =>
        $"{dialect}\t{user}\t{password}\t{conf}\t{connectionString}";

    /// <summary>For each <see cref="SqlClientLine"/> or <see cref="FreeTdsLine"/>: what the driver did and what dbtls said, both in the same child.</summary>
    public static async Task<IReadOnlyList<(PeerVerdict Driver, DbtlsVerdict Dbtls)>> RunAsync(string rootPemPath, IReadOnlyList<string> lines) =>
        [.. (await RunChildAsync(TdsMatrixChild.Command, rootPemPath, lines)).Select(Parse)];

    /// <summary>For each <see cref="CheckLine"/>: what dbtls said, with the same trusted roots as the drivers.</summary>
    public static async Task<IReadOnlyList<DbtlsVerdict>> CheckAsync(string rootPemPath, IReadOnlyList<string> lines) =>
        [.. (await RunChildAsync(PeerCheckChild.Command, rootPemPath, lines)).Select(ParseCheck)];

    private static async Task<string[]> RunChildAsync(string command, string rootPemPath, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return [];
        }

        var directory = OwnedTempDirectory.Create("dbtls-convert-peers-tds-");
        try
        {
            var empty = Directory.CreateDirectory(Path.Combine(directory, "no-system-roots")).FullName;
            string[] child = ["dotnet", typeof(TdsMatrixChild).Assembly.Location, command];
            var result = await ProcessRunner.RunAsync(new ProcessSpec("unshare", ["--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" " + SystemBundle + " && exec \"$@\"", rootPemPath, .. child])
            {
                ExtraEnvironment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = rootPemPath, ["SSL_CERT_DIR"] = empty },
                StandardInput = string.Join('\n', lines) + "\n",
                Timeout = TimeSpan.FromSeconds(60 + (10 * lines.Count)),
            });
            var output = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(result.Succeeded && output.Length == lines.Count, $"the child process failed: {result}");
            return output;
        }
        finally
        {
            OwnedTempDirectory.TryDelete(directory);
        }
    }

    private static DbtlsVerdict ParseCheck(string line)
    {
        var fields = line.TrimEnd('\r').Split('\t');
        var connected = fields[0] == Verdicts.Ok;
        return new DbtlsVerdict(connected, fields[1] is ProtectionLevels.Verified or ProtectionLevels.Encrypted, connected ? $"ok/{fields[1]}" : $"{fields[0]}/{fields[2]}");
    }

    /// <summary><c>driver fields \t dbtls verdict \t scope \t encrypt_option \t first error code</c>, as <see cref="TdsMatrixChild"/> writes it.</summary>
    private static (PeerVerdict, DbtlsVerdict) Parse(string line)
    {
        var fields = line.TrimEnd('\r').Split('\t');
        var dbtls = fields[^4..];
        var driver = SqlClientVerdicts.Parse(string.Join('\t', fields[..^4]));
        var connected = dbtls[0] == "ok";
        return (new PeerVerdict(driver.Connected, driver.Connected ? driver.EncryptOption == "TRUE" : null, driver.Message),
            new DbtlsVerdict(connected, connected && dbtls[1] == "full", connected ? $"ok/{dbtls[1]}" : $"{dbtls[0]}/{dbtls[3]}"));
    }
}
