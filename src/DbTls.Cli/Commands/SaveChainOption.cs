using System.CommandLine;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>--save-chain FILE</c>: write the certificates the server presented as PEM, whatever the verdict, so the leaf can
/// be pinned (SqlClient ServerCertificate, JDBC serverCertificate) or the chain inspected with other tools.
/// </summary>
internal static class SaveChainOption
{
    public static Option<string?> Create() => new("--save-chain")
    {
        Description = "Write the certificate chain the server presented to FILE as PEM (certificates only, never keys), whatever the verdict.",
        HelpName = "FILE",
    };

    /// <summary>Writes the chain; problems go to standard error and do not change the check's exit code.</summary>
    public static async Task SaveAsync(CheckReport report, string path, CliHost host)
    {
        if (ChainPem.Of(report) is not { } pem)
        {
            await host.Error.WriteLineAsync($"dbtls: --save-chain: the server presented no certificate; {path} was not written").ConfigureAwait(false);
            return;
        }

        try
        {
            await File.WriteAllTextAsync(path, pem).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await host.Error.WriteLineAsync($"dbtls: --save-chain: could not write {path}: {ex.Message}").ConfigureAwait(false);
        }
    }
}
