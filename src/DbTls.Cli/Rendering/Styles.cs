using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>The few styles the text output uses. Without colour Spectre drops them and the words carry the meaning.</summary>
internal static class Styles
{
    public static readonly Style Label = new(Color.Grey);
    public static readonly Style Heading = new(Color.Default, decoration: Decoration.Bold);
    public static readonly Style RuleLine = new(Color.Grey);
    public static readonly Style Good = new(Color.Green);
    public static readonly Style Bad = new(Color.Red);
    public static readonly Style Warn = new(Color.Yellow);
    public static readonly Style Muted = new(Color.Grey);
    public static readonly Style Info = new(Color.Blue);

    public static Style ForSeverity(string severity) => severity switch
    {
        "error" => new Style(Color.Red, decoration: Decoration.Bold),
        "warning" => new Style(Color.Yellow, decoration: Decoration.Bold),
        _ => new Style(Color.Blue, decoration: Decoration.Bold),
    };

    public static Style ForVerdict(string verdict) => verdict == Verdicts.Ok ? Good : verdict == Verdicts.Rejected ? Bad : Warn;
}
