using System.Text;
using DbTls.Checks;
using DbTls.Dialects.Libpq;
using DbTls.Reports;
using DbTls.Tests.Servers.PostgresHostile;

namespace DbTls.Tests.Wire.Postgres;


/// <summary>Shared helpers for tests against the hostile server.</summary>
internal static class Hostile
{
    public static readonly byte[] PasswordBytes = Encoding.UTF8.GetBytes(PostgresTestSpecs.Password);

    public static Task<CheckReport> CheckAsync(PostgresConnectionSpec spec, TimeSpan? timeout = null) =>
        PostgresCheck.RunAsync(spec, new CheckOptions { Timeout = timeout ?? TimeSpan.FromSeconds(20) }, CancellationToken.None);

    /// <summary>The check ended with this failure as its last finding, with the verdict and exit code that go with it.</summary>
    public static FindingReport AssertFailure(CheckReport report, string code, string verdict, int exitCode)
    {
        var last = report.Findings[^1];
        Assert.True(code == last.Code, $"expected {code} but the last finding is {last.Code}: {last.Message}");
        Assert.Equal("error", last.Severity);
        Assert.Equal(verdict, report.Verdict);
        Assert.Equal(exitCode, report.ExitCode);
        return last;
    }

    public static void AssertOk(CheckReport report)
    {
        Assert.True(report.Verdict == Verdicts.Ok, $"verdict {report.Verdict}: " + string.Join(" | ", report.Findings.Select(f => $"{f.Code}: {f.Message}")));
        Assert.Equal(0, report.ExitCode);
        Assert.DoesNotContain(report.Findings, f => f.Severity == "error");
    }

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>No byte sequence of the password went over the wire, and the report does not show it either.</summary>
    public static void AssertPasswordNeverSent(HostilePostgresServer server, CheckReport report)
    {
        foreach (var connection in server.Connections)
        {
            Assert.False(Contains(connection.Received, PasswordBytes), $"connection {connection.Index} received the password");
        }

        AssertPasswordNotInReport(report);
    }

    public static void AssertPasswordNotInReport(CheckReport report) =>
        Assert.DoesNotContain(PostgresTestSpecs.Password, ReportJson.Serialize(report), StringComparison.Ordinal);

    public static async Task SettleAsync(HostilePostgresServer server)
    {
        await server.WaitForScriptsAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(server.ScriptFailures);
    }
}
