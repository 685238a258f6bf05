using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// <c>explain</c> and <c>convert</c> through the published binary: the same bytes on stdout and stderr and the same
/// exit code as in process, for each dialect's keyword rules (case-insensitive Npgsql and SqlClient keywords are where
/// invariant globalization could differ from ICU), in JSON and in the text a person reads, with and without a UTF-8
/// locale. Each case also names what the driver's documented behaviour makes dbtls say, so agreement on a wrong
/// answer does not pass.
/// </summary>
[Trait("Category", "Native")]
[Trait("Category", "Integration")]
public sealed class NativeOfflineTests
{
    public static TheoryData<string[], string> Cases => new()
    {
        { ["explain", "host=db.example.com sslmode=require", "--format", "json"], "lint.unverified-encryption" },
        { ["explain", "host=db.example.com sslmode=verify-ca sslrootcert={ROOT}", "--format", "json"], "lint.hostname-not-verified" },
        { ["explain", "postgres://app@db.example.com/app?sslmode=require", "--dialect", "node-postgres", "--format", "json"], "lint.sslmode-alias" },
        { ["explain", "HOST=db.example.com;ssl mode=require;TRUST SERVER CERTIFICATE=true", "--dialect", "npgsql", "--format", "json"], "lint.unverified-encryption" },
        { ["explain", "jdbc:postgresql://db.example.com/app?sslmode=verify-ca&sslrootcert={ROOT}", "--format", "json"], "lint.hostname-not-verified" },
        { ["explain", "server=tcp:db.example.com,1433;ENCRYPT=optional;user id=app", "--format", "json"], "lint.plaintext-fallback" },
        { ["explain", "mongodb://db.example.com/?tls=true&tlsInsecure=true", "--format", "json"], "lint.unverified-encryption" },
        { ["convert", "host=db.example.com sslmode=require sslrootcert={ROOT}", "--to", "npgsql", "--format", "json"], "VerifyCA" },
        { ["convert", "host=db.example.com sslmode=verify-ca sslrootcert={ROOT}", "--to", "node-postgres", "--format", "json"], "uselibpqcompat=true" },
        { ["convert", "Server=tcp:db.example.com,1433;Encrypt=Strict;HostNameInCertificate=db.example.com", "--to", "jdbc", "--format", "json"], "encrypt=strict" },
        { ["convert", "mongodb://db.example.com/?tls=true&tlsAllowInvalidHostnames=true", "--to", "pymongo", "--format", "json"], "tlsAllowInvalidHostnames" },
        { ["explain", "host=db.example.com sslmode=require"], "lint.unverified-encryption" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_binary_says_what_the_library_says(string[] template, string expected)
    {
        foreach (var locale in new[] { "C.UTF-8", "C" })
        {
            // Nothing inherited: an empty HOME (no ~/.postgresql), no PG* or SSL_* settings, only the locale.
            // {ROOT} is a real CA file there: a root file that does not exist is an input error (exit 2) in libpq's rules.
            var home = OwnedTempDirectory.Create("dbtls-native-offline-");
            using var ca = CertFactory.CreateRoot();
            var root = CertFactory.WritePem(Path.Combine(home, "root.crt"), ca.CertificatePem);
            var args = template.Select(a => a.Replace("{ROOT}", root, StringComparison.Ordinal)).ToArray();
            var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = home, ["LC_ALL"] = locale };
            var binary = await NativeBinary.PathAsync();
            var native = await ProcessRunner.RunAsync(new ProcessSpec(binary, args) { Environment = environment, Timeout = TimeSpan.FromSeconds(60) });
            var inProcess = await CliRun.RunAsync(args, environment, host => host with { OsUserName = Environment.UserName });

            var context = $"LC_ALL={locale}\nnative: {native}\nin process: exit {inProcess.ExitCode}\n{inProcess.All}";
            Assert.False(native.TimedOut, context);
            Assert.True(native.ExitCode == inProcess.ExitCode, $"exit codes differ\n{context}");
            Assert.True(native.Stdout == inProcess.Stdout, $"stdout differs\n{context}");
            Assert.True(native.Stderr == inProcess.Stderr, $"stderr differs\n{context}");
            Assert.Contains(expected, native.Stdout, StringComparison.Ordinal);
            if (locale == "C")
            {
                // Off a terminal under a non-UTF-8 locale the text is ASCII; JSON escapes anything else.
                Assert.DoesNotContain(native.Stdout, c => c > 0x7F);
            }

            Directory.Delete(home, recursive: true);
        }
    }
}
