using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>
/// What every check learns on its way, whatever the protocol: the spec, the report being filled, where the check is
/// (for a timeout to name, and for <see cref="CheckOptions.Phase"/>), and what the conclusion turns into findings.
/// Each protocol's run state derives from it and adds its own facts.
/// </summary>
internal abstract class CheckState<TSpec>(TSpec spec, CheckReport report, string firstPhase)
{
    public TSpec Spec { get; } = spec;

    public CheckReport Report { get; } = report;

    /// <summary>Where the check is: "while resolving the host name", "during the TLS handshake", ...</summary>
    public string Phase
    {
        get;
        set
        {
            field = value;
            Progress?.Report(value);
        }
    } = firstPhase;

    /// <summary>Told each <see cref="Phase"/> as the check enters it (CheckOptions.Phase).</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Why the server's own view of the session could not be read, when it could not.</summary>
    public string? ViewProblem { get; set; }

    /// <summary>Warnings from the TLS handshake of the connection that was used (expiring certificate, weak protocol).</summary>
    public IReadOnlyList<Finding> TlsFindings { get; set; } = [];
}
