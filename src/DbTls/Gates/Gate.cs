using DbTls.Reports;

namespace DbTls.Gates;

/// <summary>
/// The bar a script sets on top of the driver's own policy: <c>--fail-on</c> and every <c>--require</c>. An empty gate
/// passes everything, so the default exit codes keep their meaning.
/// </summary>
public sealed class Gate
{
    public Gate(IEnumerable<IGateRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = [.. rules];
    }

    public static Gate None { get; } = new([]);

    public IReadOnlyList<IGateRule> Rules { get; }

    public bool IsEmpty => Rules.Count == 0;

    public GateEvaluation Evaluate(CheckReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new GateEvaluation([.. Rules.Select(rule => rule.Evaluate(report, now))]);
    }
}
