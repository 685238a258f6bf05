using System.CommandLine;
using DbTls.Diagnostics;

namespace DbTls.Cli.Commands;

/// <summary>The <c>--fail-on</c> option of <c>dbtls explain</c>.</summary>
internal static class OutputOptions
{
    private static readonly string[] Severities = ["info", "warning", "error"];

    public static Option<string> FailOn()
    {
        var option = new Option<string>("--fail-on")
        {
            Description = "Exit with 1 when a finding has this severity or a higher one (default: error).",
            HelpName = "info|warning|error",
            DefaultValueFactory = _ => "error",
        };
        option.AcceptOnlyFromAmong(Severities);
        return option;
    }

    public static Severity ParseSeverity(string? value) => value?.ToLowerInvariant() switch
    {
        "info" => Severity.Info,
        "warning" => Severity.Warning,
        _ => Severity.Error,
    };
}
