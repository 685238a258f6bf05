using DbTls.Diagnostics;
using DbTls.Gates;

namespace DbTls.Fleet;

/// <summary>
/// One exit code for a whole fleet (docs/exit-codes.md): 0 when every target passed; otherwise the most telling code
/// any target had, in this order: 1 (a driver would refuse a connection), 3 (unreachable), 2 (bad input), 4 (a gate).
/// </summary>
public static class FleetExitCode
{
    private static readonly int[] Precedence = [ExitCodes.Rejected, ExitCodes.Network, ExitCodes.InvalidInput, GateEvaluation.GateFailedExitCode];

    public static int Of(IEnumerable<int> targetExitCodes)
    {
        ArgumentNullException.ThrowIfNull(targetExitCodes);
        var seen = targetExitCodes.Where(code => code != ExitCodes.Ok).ToHashSet();
        if (seen.Count == 0)
        {
            return ExitCodes.Ok;
        }

        // A code outside the documented set (none today) still fails the run.
        return Precedence.FirstOrDefault(seen.Contains, ExitCodes.Rejected);
    }
}
