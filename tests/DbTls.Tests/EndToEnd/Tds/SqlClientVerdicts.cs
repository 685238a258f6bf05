using DbTls.Tests.Infrastructure;
using DbTls.Tests.Wire.Tds;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>What real Microsoft.Data.SqlClient made of one connection string.</summary>
/// <param name="Connected">It logged in and ran the verification query.</param>
/// <param name="EncryptOption">The server's <c>encrypt_option</c> (TRUE/FALSE) when connected.</param>
/// <param name="Number">SqlException.Number when refused.</param>
/// <param name="Message">The exception text when refused (flattened to one line).</param>
public sealed record SqlClientVerdict(bool Connected, string? EncryptOption, int Number, string Message)
{
    public override string ToString() => Connected ? $"connected (encrypt_option {EncryptOption})" : $"refused ({Number}: {Message[..Math.Min(Message.Length, 1500)]})";
}

/// <summary>
/// Runs real SqlClient over many connection strings in one child process (<see cref="SqlClientBatch"/>), whose
/// OpenSSL trust store is only the given root (SSL_CERT_FILE, SSL_CERT_DIR empty), as SqlClientTrustStoreTests
/// does for single connections. With <c>hosts</c>, the child runs in a private mount namespace whose /etc/hosts maps
/// those names to 127.0.0.1, so SqlClient can connect by names such as <c>a.dbtls.test</c> whose spelling
/// decides SslStream's name check (needs root, as the PostgreSQL harness does).
/// </summary>
public static class SqlClientVerdicts
{
    public static async Task<IReadOnlyList<SqlClientVerdict>> RunAsync(string? rootPemPath, IReadOnlyList<string> connectionStrings, IReadOnlyList<string>? hosts = null) =>
        [.. (await RunChildAsync(SqlClientBatch.Command, rootPemPath, connectionStrings, hosts)).Select(Parse)];

    /// <summary>Runs a batch command of the test assembly over the lines, one output line per input line.</summary>
    public static async Task<string[]> RunChildAsync(string command, string? rootPemPath, IReadOnlyList<string> lines, IReadOnlyList<string>? hosts)
    {
        var directory = OwnedTempDirectory.Create("dbtls-sqlclient-batch-");
        try
        {
            return await RunInAsync(directory, command, rootPemPath, lines, hosts);
        }
        finally
        {
            OwnedTempDirectory.TryDelete(directory);
        }
    }

    private static async Task<string[]> RunInAsync(string directory, string command, string? rootPemPath, IReadOnlyList<string> connectionStrings, IReadOnlyList<string>? hosts)
    {
        var emptyDirectory = Path.Combine(directory, "no-system-roots");
        Directory.CreateDirectory(emptyDirectory);
        var roots = rootPemPath ?? Path.Combine(directory, "no-roots.pem");
        if (rootPemPath is null)
        {
            await File.WriteAllTextAsync(roots, "");
        }

        var child = new List<string> { "dotnet", typeof(SqlClientBatch).Assembly.Location, command };
        string fileName;
        List<string> arguments;
        if (hosts is { Count: > 0 })
        {
            var hostsFile = Path.Combine(directory, "hosts");
            await File.WriteAllLinesAsync(hostsFile, ["127.0.0.1 localhost", .. hosts.Select(h => $"127.0.0.1 {h}")]);
            fileName = "unshare";
            arguments = ["--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" /etc/hosts && exec \"$@\"", hostsFile, .. child];
        }
        else
        {
            fileName = child[0];
            arguments = child[1..];
        }

        var result = await ProcessRunner.RunAsync(new ProcessSpec(fileName, arguments)
        {
            ExtraEnvironment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = roots, ["SSL_CERT_DIR"] = emptyDirectory },
            StandardInput = string.Join('\n', connectionStrings) + "\n",
            Timeout = TimeSpan.FromSeconds(60 + (10 * connectionStrings.Count)),
        });

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(result.Succeeded && lines.Length == connectionStrings.Count, $"the child process failed: {result}");
        return lines;
    }

    public static SqlClientVerdict Parse(string line)
    {
        var fields = line.TrimEnd('\r').Split('\t', 3);
        return fields[0] == "OK"
            ? new SqlClientVerdict(true, fields[1], 0, "")
            : new SqlClientVerdict(false, null, int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), fields[2]);
    }

    /// <summary>A connection string for one of the test server's endpoints, as the fidelity tests write them.</summary>
    public static string ConnectionString(Servers.Tds.TdsTestServer server, string host, string settings) =>
        SqlClientFidelityTests.ConnectionString(server, settings, host);
}
