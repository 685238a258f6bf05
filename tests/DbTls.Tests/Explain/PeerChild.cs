using DbTls.Reports;
using DbTls.Tests.EndToEnd.Tds;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Oracles.ConvertPeers;

namespace DbTls.Tests.Explain;

/// <summary>
/// Runs a batch command of the test assembly in a child whose "system trusted roots" are exactly the test root for every
/// TLS library a driver here uses: .NET (SqlClient, MongoDB.Driver, dbtls) and OpenSSL (Python's ssl) read SSL_CERT_FILE /
/// SSL_CERT_DIR, GnuTLS (tsql's <c>ca file = system</c>) reads its compiled-in /etc/ssl/certs/ca-certificates.crt. So
/// the child runs in a private mount namespace where that file is the test root (a bind mount, as SqlClientVerdicts
/// does for /etc/hosts; needs root, as the PostgreSQL harness does), with SSL_CERT_FILE the same root and SSL_CERT_DIR
/// an empty directory. dbtls check on a string that trusts the system store must run there too, to see what the drivers see.
/// </summary>
internal static class PeerChild
{
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>The variables that make <paramref name="rootPemPath"/> OpenSSL's only root in a child; <paramref name="emptyDirectory"/> stands for SSL_CERT_DIR.</summary>
    public static Dictionary<string, string> TrustOnly(string rootPemPath, string emptyDirectory) =>
        new(StringComparer.Ordinal) { ["SSL_CERT_FILE"] = rootPemPath, ["SSL_CERT_DIR"] = emptyDirectory };

    /// <summary>A line for <see cref="PeerCheckChild"/>: dbtls check alone, on a string of any dialect.</summary>
    public static string CheckLine(string dialect, string connectionString, string? user = null, string? password = null, string? conf = null, IEnumerable<KeyValuePair<string, string>>? options = null) =>
        $"{dialect}\t{user}\t{password}\t{conf}\t{string.Join(' ', (options ?? []).Select(o => $"{o.Key}={o.Value}"))}\t{connectionString}";

    /// <summary>For each <see cref="CheckLine"/>: what dbtls said, with the drivers' trusted roots.</summary>
    public static async Task<IReadOnlyList<DbtlsVerdict>> CheckAsync(string rootPemPath, IReadOnlyList<string> lines) =>
        [.. (await RunAsync(PeerCheckChild.Command, rootPemPath, lines)).Select(ParseCheck)];

    /// <summary>One output line per input line of the batch command.</summary>
    public static async Task<string[]> RunAsync(string command, string rootPemPath, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return [];
        }

        var directory = OwnedTempDirectory.Create("dbtls-convert-peers-child-");
        try
        {
            var empty = Directory.CreateDirectory(Path.Combine(directory, "no-system-roots")).FullName;
            string[] child = ["dotnet", typeof(TdsMatrixChild).Assembly.Location, command];
            var result = await ProcessRunner.RunAsync(new ProcessSpec("unshare", ["--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" " + SystemBundle + " && exec \"$@\"", rootPemPath, .. child])
            {
                ExtraEnvironment = TrustOnly(rootPemPath, empty),
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
}
