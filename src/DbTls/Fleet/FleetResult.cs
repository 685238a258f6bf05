using DbTls.Gates;
using DbTls.Reports;

namespace DbTls.Fleet;

/// <summary>One target's finished check: the same report a single check gives, its gate and how long it took.</summary>
public sealed record FleetResult(FleetTarget Target, CheckReport Report, GateEvaluation Gate, TimeSpan Duration)
{
    /// <summary>The target's exit code under the gate (docs/exit-codes.md).</summary>
    public int ExitCode => Gate.ExitCode(Report.ExitCode);

    public bool Passed => ExitCode == 0;
}
