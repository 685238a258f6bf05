using System.Security.Cryptography.X509Certificates;
using DbTls.Tests.Infrastructure;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DbTls.Tests.EndToEnd.Mongo;

/// <summary>
/// MongoDB.Driver's verdict for one connection string: does it connect (ping answered) or refuse?
/// It runs in a child process (<see cref="TestAssemblyEntryPoint"/>) because the driver validates the
/// server certificate against the process's trusted roots, which only a child can have replaced
/// (SSL_CERT_FILE = the test root, SSL_CERT_DIR = an empty directory).
/// </summary>
public static class MongoDriverProbe
{
    public const string Command = "mongodriver-ping";

    /// <summary>Settings the driver only takes in code (SslSettings), not from the URI.</summary>
    public sealed record InCode(bool CheckCertificateRevocation = false, string? ClientPfxPath = null);

    /// <summary>The child's side: exit 0 and "connected" when ping succeeds, 1 and the exception otherwise.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length < 1)
        {
            await Console.Error.WriteLineAsync($"usage: DbTls.Tests {Command} <uri> [--check-revocation] [--client-pfx <path>]");
            return 2;
        }

        try
        {
            var settings = MongoClientSettings.FromConnectionString(args[0]);
            var checkRevocation = args.Contains("--check-revocation");
            var pfx = Array.IndexOf(args, "--client-pfx") is var at and > 0 && at + 1 < args.Length ? args[at + 1] : null;
            if (checkRevocation || pfx is not null)
            {
                // Start from what the URI set (tlsDisableCertificateRevocationCheck), change only what was asked.
                var ssl = settings.SslSettings?.Clone() ?? new SslSettings();
                if (checkRevocation)
                {
                    ssl.CheckCertificateRevocation = true;
                }

                if (pfx is not null)
                {
                    ssl.ClientCertificates = [X509CertificateLoader.LoadPkcs12FromFile(pfx, password: null)];
                }

                settings.SslSettings = ssl;
            }

            using var client = new MongoClient(settings);
            var reply = await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
            Console.WriteLine(reply["ok"].ToDouble() == 1.0 ? "connected" : "ping failed: " + reply);
            return reply["ok"].ToDouble() == 1.0 ? 0 : 1;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync(e.ToString());
            return 1;
        }
    }

    /// <summary>
    /// The test's side: runs the driver in a child that trusts only <paramref name="rootPemPath"/>. The
    /// child's HOME is a fresh directory under <paramref name="workDirectory"/>: .NET caches downloaded CRLs
    /// under HOME, and each verdict must come from its own download, not from an earlier child's.
    /// </summary>
    public static async Task<(bool Connected, string Error)> RunAsync(string uri, InCode inCode, string rootPemPath, string workDirectory)
    {
        var emptyDirectory = Directory.CreateDirectory(Path.Combine(workDirectory, "no-system-roots")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(workDirectory, "home-" + Guid.NewGuid().ToString("N"))).FullName;
        var environment = new Dictionary<string, string>
        {
            ["SSL_CERT_FILE"] = rootPemPath,
            ["SSL_CERT_DIR"] = emptyDirectory,
            ["HOME"] = home,
            // The CRL lives on loopback; no proxy may stand in between.
            ["NO_PROXY"] = "127.0.0.1,localhost",
            ["no_proxy"] = "127.0.0.1,localhost",
        };
        List<string> args = [Command, uri];
        if (inCode.CheckCertificateRevocation)
        {
            args.Add("--check-revocation");
        }

        if (inCode.ClientPfxPath is not null)
        {
            args.AddRange(["--client-pfx", inCode.ClientPfxPath]);
        }

        int exitCode;
        string output, error;
        try
        {
            (exitCode, output, error) = await TestAssemblyEntryPoint.RunAsync(environment, TimeSpan.FromSeconds(60), [.. args]);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }

        return exitCode switch
        {
            0 when output.Trim() == "connected" => (true, error),
            1 => (false, error),
            _ => throw new InvalidOperationException($"the driver probe failed to run (exit {exitCode}): {output}\n{error}"),
        };
    }
}
