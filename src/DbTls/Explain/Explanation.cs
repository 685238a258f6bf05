using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects;

namespace DbTls.Explain;

/// <summary>One statement about the effective policy, e.g. topic <c>verification</c>: "chain and host name are checked".</summary>
public sealed record ExplainStatement(string Topic, string Text);

/// <summary>What <c>dbtls explain</c> says about a connection string: the description, the policy in words, and the findings.</summary>
/// <param name="Description">The string as the dialect reads it.</param>
/// <param name="Statements">The effective policy in plain words, topic by topic.</param>
/// <param name="Findings">The parser's findings and the lint findings, each with a remedy in the dialect's words.</param>
public sealed record Explanation(ConnectionDescription Description, ImmutableArray<ExplainStatement> Statements, ImmutableArray<Finding> Findings);

/// <summary>The result of explaining: an explanation, or the reason the string could not be read.</summary>
public sealed record ExplainOutcome(string Dialect, string RedactedConnectionString, Explanation? Explanation, Finding? Failure)
{
    /// <summary>
    /// 2 for a string the dialect cannot read (<c>config.*</c>); 1 when the string cannot be read for another reason
    /// (e.g. libpq's missing root file) or a finding reaches <paramref name="failOn"/>; else 0.
    /// </summary>
    public int ExitCode(Severity failOn) =>
        Failure is { } failure ? FindingCatalog.ExitCodeFor(failure.Code) == ExitCodes.InvalidInput ? ExitCodes.InvalidInput : ExitCodes.Rejected
        : Explanation!.Findings.Any(f => f.Severity >= failOn) ? ExitCodes.Rejected
        : ExitCodes.Ok;
}
