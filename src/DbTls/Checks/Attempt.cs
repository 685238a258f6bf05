using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>How one connection attempt ended.</summary>
internal enum AttemptOutcome
{
    /// <summary>The attempt got as far as the check goes (logged in, or stopped on purpose).</summary>
    Ok,

    /// <summary>The driver gave up on this attempt and tries the next method or connection.</summary>
    Fallback,

    /// <summary>The attempt ended in the failure the verdict names.</summary>
    Failed,
}

/// <summary>
/// One connection attempt as a check tracks it. The typed <see cref="Outcome"/> is what the checks' logic reads;
/// the report's strings ("ok", "fallback", "failed") are written from it here and nowhere else.
/// </summary>
internal sealed class Attempt(AttemptReport report)
{
    public AttemptReport Report { get; } = report;

    public AttemptOutcome? Outcome { get; private set; }

    /// <summary>Not concluded yet: a failure that ends the check now is this attempt's.</summary>
    public bool IsOpen => Outcome is null;

    public void Conclude(AttemptOutcome outcome, string? detail)
    {
        Outcome = outcome;
        Report.Outcome = outcome switch
        {
            AttemptOutcome.Ok => "ok",
            AttemptOutcome.Fallback => "fallback",
            _ => "failed",
        };
        Report.Detail = detail;
    }
}
