using System.Text.Json;
using DbTls.Tests.Cli;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.PostgresHostile;

namespace DbTls.Tests.Glance;

/// <summary>
/// Issue 15: a timeout says which phase the check was in, in every protocol (libpq's own message does not).
/// Scripted servers fall silent at each phase; the net.timeout finding names it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TimeoutPhaseTests(LocalhostCertificateFixture certificates) : IClassFixture<LocalhostCertificateFixture>
{
    // Reaching the login takes a TLS handshake, which on a loaded machine (and a cold JIT) can take over a second.
    private static async Task<string> TimeoutMessageAsync(string connectionString, string seconds = "1")
    {
        var result = await CliRun.RunAsync(["check", connectionString, "--format", "json", "--timeout", seconds], new Dictionary<string, string> { ["PGPASSWORD"] = "Phase-Pw-1" });
        using var document = JsonDocument.Parse(result.Stdout);
        var timeout = document.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "net.timeout");
        return timeout.GetProperty("message").GetString()!;
    }

    private static string Postgres(HostilePostgresServer server) => $"host=127.0.0.1 port={server.Port} user=phase dbname=phase sslmode=require";

    [Fact]
    public async Task Postgres_silent_after_the_ssl_request_is_named()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) => await c.DrainUntilClosedAsync(ct));

        Assert.EndsWith("(waiting for the answer to the SSLRequest)", await TimeoutMessageAsync(Postgres(server)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_silent_during_the_tls_handshake_is_named()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'S']);
            await c.DrainUntilClosedAsync(ct);
        });

        Assert.EndsWith("(during the TLS handshake)", await TimeoutMessageAsync(Postgres(server)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_silent_after_the_startup_message_is_named()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) =>
        {
            await c.ExpectSslRequestAsync(ct);
            await c.WriteAsync([(byte)'S']);
            await c.StartTlsAsync(certificates.Leaf.Certificate, "postgresql", ct);
            await c.ReadStartupAsync(ct);
            await c.DrainUntilClosedAsync(ct);
        });

        var message = await TimeoutMessageAsync(Postgres(server), seconds: "4");
        Assert.Empty(server.ScriptFailures);
        Assert.EndsWith("(during the login (StartupMessage sent))", message, StringComparison.Ordinal);
    }

    /// <summary>One peer that accepts and never speaks: each protocol names the phase its first message waits in.</summary>
    [Theory]
    [InlineData("postgres", "(waiting for the answer to the SSLRequest)")]
    [InlineData("tds", "(during PRELOGIN)")]
    [InlineData("mongodb", "no answer during the TLS handshake)")]
    public async Task A_silent_peer_is_named_in_every_protocol(string protocol, string phase)
    {
        await using var silent = HostilePostgresServer.Start(async (c, ct) => await c.DrainUntilClosedAsync(ct));
        var target = protocol switch
        {
            "postgres" => Postgres(silent),
            "tds" => $"Server=tcp:127.0.0.1,{silent.Port};User ID=phase;Password=Phase-Pw-1;Encrypt=Mandatory",
            _ => $"mongodb://127.0.0.1:{silent.Port}/?tls=true",
        };

        Assert.EndsWith(phase, await TimeoutMessageAsync(target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_standard_error_shows_each_phase_and_erases_it_before_the_report()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) => await c.DrainUntilClosedAsync(ct));

        var result = await CliRun.RunAsync(["check", Postgres(server), "--format", "json", "--timeout", "1"], null, h => h with { ErrorIsTerminal = true });

        const string Erase = "\r\u001b[2K";
        Assert.Contains($"{Erase}dbtls: while connecting...", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{Erase}dbtls: waiting for the answer to the SSLRequest...", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith(Erase, result.Stderr, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(result.Stdout);
        Assert.Equal(3, report.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Off_a_terminal_standard_error_stays_empty()
    {
        await using var server = HostilePostgresServer.Start(async (c, ct) => await c.DrainUntilClosedAsync(ct));

        var result = await CliRun.RunAsync(["check", Postgres(server), "--format", "json", "--timeout", "1"], null, h => h with { ErrorIsTerminal = false });

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.Stderr);
    }
}
