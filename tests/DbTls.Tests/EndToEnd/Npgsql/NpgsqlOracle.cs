using System.Security.Authentication;
using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Reports;
using global::Npgsql;

namespace DbTls.Tests.EndToEnd.Npgsql;

/// <summary>What a client made of one connection attempt: connected (and encrypted or not), or refused for a class of reason.</summary>
public sealed record NpgsqlOutcome(bool Connected, bool? Encrypted, string FailureClass, string Detail)
{
    public bool SameVerdict(NpgsqlOutcome other) =>
        Connected == other.Connected && (Connected ? Encrypted == other.Encrypted : FailureClass == other.FailureClass);

    public override string ToString() =>
        Connected ? $"connected (ssl={(Encrypted == true ? "on" : "off")})" : $"refused [{FailureClass}] {Detail}";
}

/// <summary>
/// Runs one Npgsql connection string through the real Npgsql 10.0.3 (the reference) and through dbtls' npgsql
/// dialect in the same process, with the same environment, and classifies both outcomes the same way.
/// </summary>
public static class NpgsqlOracle
{
    public const string Certificate = "certificate";
    public const string TlsRefused = "tls-refused";
    public const string Server = "server";
    public const string Other = "other";

    public static async Task<NpgsqlOutcome> RunNpgsqlAsync(string connectionString)
    {
        try
        {
            // No pool: every attempt is a new physical connection with its own handshake.
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=10");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select ssl from pg_stat_ssl where pid = pg_backend_pid()", connection);
            var ssl = (bool)(await command.ExecuteScalarAsync())!;
            return new NpgsqlOutcome(true, ssl, "", "");
        }
        catch (Exception e) when (e is NpgsqlException or AuthenticationException or IOException or ArgumentException or InvalidOperationException)
        {
            return new NpgsqlOutcome(false, null, Classify(e), Flatten(e));
        }
    }

    public static async Task<(NpgsqlOutcome Outcome, CheckReport Report)> RunDbTlsAsync(string connectionString)
    {
        var dialect = DialectRegistry.Default.Find("npgsql")!;
        var report = await ConnectionCheck.RunAsync(dialect, connectionString, CheckEnvironment.FromProcess(),
            new CheckOptions { Timeout = TimeSpan.FromSeconds(20) });
        var connected = report.Login?.Succeeded == true;
        var error = report.Findings.FirstOrDefault(f => f.Severity == "error");
        var failureClass = error?.Code switch
        {
            null => "",
            var code when code.StartsWith("cert.", StringComparison.Ordinal) => Certificate,
            "server.tls-unsupported" => TlsRefused,
            var code when code.StartsWith("auth.", StringComparison.Ordinal) || code.StartsWith("server.", StringComparison.Ordinal) => Server,
            _ => Other,
        };
        return (new NpgsqlOutcome(connected, connected ? report.Server?.Ssl : null, connected ? "" : failureClass, error is null ? "" : $"{error.Code}: {error.Message}"), report);
    }

    /// <summary>Npgsql's failures by where they come from: the certificate callback (AuthenticationException under the SSL handshake), the server's 'N', or the server itself.</summary>
    private static string Classify(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return Certificate;
            }

            if (inner is PostgresException)
            {
                return Server;
            }

            if (inner.Message.Contains("No SSL enabled connection", StringComparison.Ordinal))
            {
                return TlsRefused;
            }
        }

        return Other;
    }

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            parts.Add($"{inner.GetType().Name}: {inner.Message}");
        }

        return string.Join(" -> ", parts);
    }
}
