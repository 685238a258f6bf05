namespace DbTls.Gates;

/// <summary>What one requirement said about one report: passed, or failed with the reasons a person reads.</summary>
public sealed record GateResult(string Requirement, bool Passed, IReadOnlyList<string> Reasons)
{
    public static GateResult Pass(string requirement) => new(requirement, true, []);

    public static GateResult Fail(string requirement, params string[] reasons) => new(requirement, false, reasons);
}

/// <summary>Every requirement's result for one report; <see cref="Passed"/> when all passed.</summary>
public sealed record GateEvaluation(IReadOnlyList<GateResult> Results)
{
    /// <summary>
    /// The exit code of a check whose own verdict was ok but which fell short of a gate. 4, not 1: a script can tell
    /// "the driver would have refused this connection" (1, 2, 3 keep their meaning) from "the connection works but
    /// is below the bar you set" (docs/exit-codes.md).
    /// </summary>
    public const int GateFailedExitCode = 4;

    public bool Passed => Results.All(r => r.Passed);

    public IEnumerable<GateResult> Failures => Results.Where(r => !r.Passed);

    /// <summary>The exit code of the check under this gate: the check's own failure wins, else 4 when a requirement failed.</summary>
    public int ExitCode(int checkExitCode) => checkExitCode != 0 ? checkExitCode : Passed ? 0 : GateFailedExitCode;
}
