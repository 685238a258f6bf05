using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Checks;

/// <summary>
/// The findings of one check in report order, the spec's own first. Every check's conclusion adds to it in its fixed
/// order and ends with <see cref="Conclude"/>, so that the failure comes last and decides verdict and exit code the
/// same way for every protocol.
/// </summary>
internal sealed class CheckFindings
{
    private readonly List<Finding> _findings;
    private readonly bool _sameCodeMayRepeat;

    /// <param name="fromSpec">What the dialect found in the connection string.</param>
    /// <param name="sameCodeMayRepeat">
    /// Whether two findings with one code but different messages both stay (MongoDB reports one per seed); otherwise the
    /// first finding of a code wins and later ones are dropped.
    /// </param>
    public CheckFindings(IEnumerable<Finding> fromSpec, bool sameCodeMayRepeat = false)
    {
        _findings = [.. fromSpec];
        _sameCodeMayRepeat = sameCodeMayRepeat;
    }

    public static IEnumerable<Finding> Of(ImmutableArray<Finding> findings) => findings.IsDefault ? [] : findings;

    /// <summary>Adds the finding unless an equal one (same code; with repeats allowed, same code and message) is already there.</summary>
    public void AddOnce(Finding finding)
    {
        if (!_findings.Any(f => f.Code == finding.Code && (!_sameCodeMayRepeat || f.Message == finding.Message)))
        {
            _findings.Add(finding);
        }
    }

    /// <summary>Adds the finding even when one of its code is there (a driver's note that a dialect note must not hide).</summary>
    public void Add(Finding finding) => _findings.Add(finding);

    public void AddOnce(IEnumerable<Finding> findings)
    {
        foreach (var finding in findings)
        {
            AddOnce(finding);
        }
    }

    /// <summary>The failure, when there is one, goes last; then the verdict, exit code, summary and findings are set on the report.</summary>
    /// <param name="listedAs">The failure as the list shows it, when it names more than the failure itself (MongoDB's seed).</param>
    public void Conclude(CheckReport report, Finding? failure, Finding? listedAs = null)
    {
        if (failure is not null)
        {
            _findings.Add(listedAs ?? failure);
        }

        CheckConclusion.Apply(report, _findings, failure);
    }
}
