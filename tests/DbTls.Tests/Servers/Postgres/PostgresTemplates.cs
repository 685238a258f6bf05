using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.Postgres;

/// <summary>
/// Pristine initdb output per server version, shared by every test process on the machine: initdb
/// costs seconds of CPU (far more on a loaded machine), a copy of its result a fraction of that.
/// A template is built in a staging directory and renamed into place, so readers only ever see a
/// complete one; its name carries a hash of the binaries and of the initdb arguments.
/// </summary>
internal static class PostgresTemplates
{
    private const string Prefix = "dbtls-pgtemplate-";
    private const string StagingPrefix = "dbtls-pgtemplate-staging-";
    private const string CompleteMarker = "complete";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The initdb arguments after <c>-D dir</c>; the superuser password comes from a file.</summary>
    private static IReadOnlyList<string> InitdbArguments(string passwordFile) =>
    [
        "-U", PostgresUsers.Superuser, "--auth=scram-sha-256", "--pwfile=" + passwordFile,
        "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
    ];

    /// <summary>The path of a pristine data directory for this version, creating it on first use.</summary>
    public static async Task<string> GetAsync(PostgresVersion version, string binDirectory, CancellationToken cancellationToken)
    {
        var template = TemplateDirectory(version, binDirectory);
        var data = Path.Combine(template, "data");
        if (File.Exists(Path.Combine(template, CompleteMarker)))
        {
            return data;
        }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(Path.Combine(template, CompleteMarker)))
            {
                return data;
            }

            if (Directory.Exists(template))
            {
                // Incomplete (a temp cleaner took files away): rebuild it.
                OwnedTempDirectory.TryDelete(template);
            }

            var staging = OwnedTempDirectory.Create(StagingPrefix);
            try
            {
                await RunInitdbAsync(version, binDirectory, staging, cancellationToken).ConfigureAwait(false);
                File.WriteAllText(Path.Combine(staging, CompleteMarker), "");

                // The postgres account copies from here (the directory is 0700, so it must own it).
                UnixAccounts.ChangeOwner(staging, PostgresServer.ServiceAccount);
                try
                {
                    Directory.Move(staging, template);
                }
                catch (IOException) when (File.Exists(Path.Combine(template, CompleteMarker)))
                {
                    // Another process finished first; theirs is as good as ours.
                }
            }
            finally
            {
                OwnedTempDirectory.TryDelete(staging);
            }

            return data;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Copies the template into <paramref name="dataDirectory"/> as the postgres account (keeping modes).</summary>
    public static async Task CopyAsync(string template, string dataDirectory, CancellationToken cancellationToken)
    {
        var (fileName, arguments) = UnixAccounts.AsUser(PostgresServer.ServiceAccount, "/bin/cp", ["-a", template, dataDirectory]);
        var result = await ProcessRunner.RunAsync(new ProcessSpec(fileName, arguments) { Timeout = TimeSpan.FromSeconds(60) }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"copying the PostgreSQL template {template} failed: {result}");
        }
    }

    private static async Task RunInitdbAsync(PostgresVersion version, string binDirectory, string staging, CancellationToken cancellationToken)
    {
        UnixAccounts.ChangeOwner(staging, PostgresServer.ServiceAccount);
        var passwordFile = Path.Combine(staging, "superuser.pw");
        CertFactory.WritePem(passwordFile, PostgresUsers.SuperuserPassword + "\n", secret: true);
        UnixAccounts.ChangeOwner(passwordFile, PostgresServer.ServiceAccount);
        var (fileName, arguments) = UnixAccounts.AsUser(PostgresServer.ServiceAccount, Path.Combine(binDirectory, "initdb"),
            ["-D", Path.Combine(staging, "data"), .. InitdbArguments(passwordFile)]);
        var result = await ProcessRunner.RunAsync(new ProcessSpec(fileName, arguments)
        {
            WorkingDirectory = staging,
            ExtraEnvironment = new Dictionary<string, string> { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8" },
            Timeout = TimeSpan.FromSeconds(120),
        }, cancellationToken).ConfigureAwait(false);
        File.Delete(passwordFile);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"initdb for PostgreSQL {(int)version} failed: {result}");
        }
    }

    private static string TemplateDirectory(PostgresVersion version, string binDirectory)
    {
        var postgres = new FileInfo(Path.Combine(binDirectory, "postgres"));
        var identity = string.Join('\n',
        [
            postgres.FullName,
            postgres.Length.ToString(CultureInfo.InvariantCulture),
            postgres.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            string.Join(' ', InitdbArguments("")),
            PostgresUsers.SuperuserPassword,
            UnixAccounts.IsRoot ? "as-postgres" : Environment.UserName,
        ]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        return Path.Combine(Path.GetTempPath(), $"{Prefix}{(int)version}-{hash}");
    }
}
