using DbTls.Reports;

namespace DbTls.Cli.Rendering;

/// <summary>
/// The validation steps as text rows. Steps in a row that share outcome and detail (five steps skipped because
/// "verification is off under this policy") are one row naming the others, so the reason is read once. The JSON
/// report keeps one entry per step: there each step is data, here the repetition is only noise.
/// </summary>
internal static class ValidationRows
{
    public sealed record Row(string Outcome, string Step, string Detail);

    public static List<Row> Collapse(IReadOnlyList<ValidationStepReport> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var rows = new List<Row>();
        var i = 0;
        while (i < steps.Count)
        {
            var first = steps[i];
            var end = i + 1;
            while (end < steps.Count && steps[end].Outcome == first.Outcome && string.Equals(steps[end].Detail, first.Detail, StringComparison.Ordinal))
            {
                end++;
            }

            var detail = end - i == 1
                ? first.Detail
                : $"{first.Detail} (same for {string.Join(", ", steps.Skip(i + 1).Take(end - i - 1).Select(s => s.Step))})";
            rows.Add(new Row(first.Outcome, first.Step, detail));
            i = end;
        }

        return rows;
    }
}
