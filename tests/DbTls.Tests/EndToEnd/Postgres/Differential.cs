using System.Collections.Immutable;
using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>What one client made of one connection attempt.</summary>
public sealed record Outcome(bool Connected, bool? Encrypted, string Detail)
{
    public override string ToString() => Connected ? $"connected (ssl={(Encrypted is null ? "?" : Encrypted.Value ? "on" : "off")})" : $"refused: {Detail}";
}

/// <summary>
/// Runs the same conninfo through psql (libpq 15, the reference) and through dbtls, each with a
/// clean environment and the same empty HOME, and returns both outcomes.
/// </summary>
public static class Differential
{
    /// <summary>psql's verdict: connected and, when connected, what pg_stat_ssl says about the session.</summary>
    public static async Task<Outcome> RunPsqlAsync(string conninfo, string home, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await PsqlRunner.RunAsync(conninfo, new PsqlOptions
        {
            Sql = "select ssl from pg_stat_ssl where pid = pg_backend_pid()",
            HomeDirectory = home,
            Environment = environment,
            Timeout = TimeSpan.FromSeconds(30),
        });
        Assert.False(result.TimedOut, $"psql timed out on {conninfo}");
        return result.ExitCode == 0
            ? new Outcome(true, result.Stdout.Trim() == "t", "")
            : new Outcome(false, null, result.Stderr.Trim());
    }

    internal static LibpqEnvironment Environment(string home, IReadOnlyDictionary<string, string>? variables = null) =>
        new((variables ?? new Dictionary<string, string>()).ToImmutableDictionary(StringComparer.Ordinal), home, "root");

    /// <summary>dbtls' verdict on the same conninfo, in process: parse as libpq, then check.</summary>
    public static async Task<(Outcome Outcome, CheckReport Report)> RunDbTlsAsync(string conninfo, string home, IReadOnlyDictionary<string, string>? variables = null)
    {
        CheckReport report;
        try
        {
            var spec = LibpqConnectionString.Parse(conninfo, Environment(home, variables));
            report = await PostgresCheck.RunAsync(spec, new CheckOptions { Timeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);
        }
        catch (DbTlsException ex)
        {
            // Configuration errors (e.g. a missing root file under verify-full) surface at parse time.
            report = new CheckReport
            {
                Verdict = Verdicts.Failed,
                ExitCode = FindingCatalog.ExitCodeFor(ex.Code),
                Findings = [new FindingReport { Code = ex.Code, Severity = "error", Message = ex.Message, Remedy = ex.Remedy ?? "" }],
            };
        }

        var connected = report.Verdict == Verdicts.Ok && report.Login?.Succeeded == true;
        var detail = string.Join("; ", report.Findings.Where(f => f.Severity == "error").Select(f => $"{f.Code}: {f.Message}"));
        return (new Outcome(connected, connected ? report.Server?.Ssl : null, detail), report);
    }

    /// <summary>The first error finding's code, or null when there is none.</summary>
    public static string? ErrorCode(CheckReport report) => report.Findings.FirstOrDefault(f => f.Severity == "error")?.Code;

    public static bool Agree(Outcome psql, Outcome dbtls) =>
        psql.Connected == dbtls.Connected && (!psql.Connected || psql.Encrypted == dbtls.Encrypted);
}
