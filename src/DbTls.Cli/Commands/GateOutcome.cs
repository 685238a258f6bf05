using DbTls.Gates;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// Applies the gate to a single check: which requirement failed and why goes to standard error (standard output keeps
/// the report alone, so JSON stays JSON), and the exit code becomes 4 when only the gate failed.
/// </summary>
internal static class GateOutcome
{
    public static async Task<int> ApplyAsync(CheckReport report, Gate gate, CliHost host)
    {
        if (gate.IsEmpty)
        {
            return report.ExitCode;
        }

        var evaluation = gate.Evaluate(report, host.Time.GetUtcNow());
        foreach (var failure in evaluation.Failures)
        {
            foreach (var reason in failure.Reasons)
            {
                await host.Error.WriteLineAsync($"dbtls: requirement {failure.Requirement} not met: {reason}").ConfigureAwait(false);
            }
        }

        return evaluation.ExitCode(report.ExitCode);
    }
}
