using DbTls.Reports;

namespace DbTls.Conversion;

/// <summary><c>dbtls convert --format json</c> (docs/explain.md): the converted string and every setting that did not carry over exactly.</summary>
public sealed class ConvertReport
{
    public string From { get; set; } = "";

    public string To { get; set; } = "";

    /// <summary>The original string with every secret replaced by <c>********</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public int ExitCode { get; set; }

    /// <summary>The string in the target dialect (for FreeTDS the freetds.conf section); the password is a placeholder.</summary>
    public string? Output { get; set; }

    /// <summary>For FreeTDS: the <c>freetds:NAME</c> target that selects the section.</summary>
    public string? Target { get; set; }

    /// <summary>Whether the target protects less than the original in some respect (then the exit code is 1).</summary>
    public bool Weaker { get; set; }

    /// <summary>What the target cannot express exactly, as the renderer chose the nearest setting.</summary>
    public List<ConvertNoteReport> Notes { get; set; } = [];

    /// <summary>The original's policy against the target's own reading of <see cref="Output"/>, field by field.</summary>
    public List<ConvertNoteReport> Differences { get; set; } = [];

    public List<FindingReport> Findings { get; set; } = [];

    public static ConvertReport Of(ConversionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new ConvertReport
        {
            From = outcome.From,
            To = outcome.To,
            ConnectionString = outcome.RedactedSource,
            ExitCode = outcome.ExitCode,
            Output = outcome.Withheld ? null : outcome.Rendered?.Text,
            Target = outcome.Withheld ? null : outcome.Rendered?.Target,
            Weaker = outcome.IsWeaker,
            Notes = [.. (outcome.Rendered?.Notes ?? []).Select(ConvertNoteReport.From)],
            Differences = [.. outcome.Differences.Select(ConvertNoteReport.From)],
            Findings = outcome.Failure is { } failure ? [FindingReport.From(failure)]
                : outcome.Withheld ? [FindingReport.From(Lossy(outcome))]
                : [],
        };
    }

    private static Diagnostics.Finding Lossy(ConversionOutcome outcome)
    {
        var losses = outcome.Rendered!.Notes.Concat(outcome.Differences).Where(n => n.Effect == Dialects.ConversionEffect.Weaker).Select(n => n.Setting).Distinct(StringComparer.Ordinal);
        return Diagnostics.FindingCatalog.Create(Diagnostics.FindingCodes.ConvertLossy,
            $"{outcome.To} cannot carry the original's protection ({string.Join(", ", losses)}); with --strict the converted string is not written");
    }
}

public sealed class ConvertNoteReport
{
    public string Setting { get; set; } = "";

    /// <summary><c>different</c> | <c>stronger</c> | <c>weaker</c> | <c>manual-step</c>.</summary>
    public string Effect { get; set; } = "";

    public string Message { get; set; } = "";

    internal static ConvertNoteReport From(Dialects.ConversionNote note) => new()
    {
        Setting = note.Setting,
        Effect = note.Effect switch
        {
            Dialects.ConversionEffect.Stronger => "stronger",
            Dialects.ConversionEffect.Weaker => "weaker",
            Dialects.ConversionEffect.ManualStep => "manual-step",
            _ => "different",
        },
        Message = note.Message,
    };
}
