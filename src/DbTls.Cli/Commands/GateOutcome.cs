using DbTls.Gates;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// Applies the gate to a single check: which requirement failed and why goes to standard error (and, in JSON, into the
/// report's <c>gate</c> field), and the exit code becomes 4 when only the gate failed.
/// </summary>
internal static class GateOutcome
{
    /// <summary>The gate's outcome for this report; null when the command line has no gate.</summary>
    public static GateEvaluation? Evaluate(CheckReport report, Gate gate, CliHost host) =>
        gate.IsEmpty ? null : gate.Evaluate(report, host.Time.GetUtcNow());

    public static async Task<int> ApplyAsync(CheckReport report, GateEvaluation? evaluation, CliHost host)
    {
        if (evaluation is null)
        {
            return report.ExitCode;
        }

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
