using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DbTls.Fleet;

namespace DbTls.Cli.Commands;

/// <summary>
/// The options of <c>dbtls check</c> that run an inventory (<c>--targets</c>, <c>--concurrency</c>, <c>--deadline</c>,
/// <c>--resume</c>) and the formats only a fleet or a CI system reads (ndjson, sarif, junit).
/// </summary>
internal sealed class FleetCliOptions
{
    public const string Ndjson = "ndjson";
    public const string Sarif = "sarif";
    public const string Junit = "junit";

    private const int MaxConcurrency = 256;

    public FleetCliOptions()
    {
        Targets = new Option<string?>("--targets")
        {
            Description = "Check every target of this inventory instead of one string: one connection string per line (# comments), or JSON (docs/fleet.md). Passwords only from environment variables.",
            HelpName = "FILE",
        };
        Concurrency = new Option<int>("--concurrency")
        {
            Description = $"How many targets to check at once (default {FleetOptions.DefaultConcurrency}).",
            HelpName = "N",
            DefaultValueFactory = _ => FleetOptions.DefaultConcurrency,
        };
        Concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxConcurrency)
            {
                result.AddError($"--concurrency takes a whole number from 1 to {MaxConcurrency}.");
            }
        });
        Deadline = new Option<TimeSpan?>("--deadline")
        {
            Description = "Time limit in seconds for the whole run; targets not finished by then are reported as net.timeout.",
            HelpName = "SECONDS",
            CustomParser = ParseSeconds,
        };
        Resume = new Option<string?>("--resume")
        {
            Description = "Skip the targets already in this NDJSON results file (from an interrupted --format ndjson run).",
            HelpName = "FILE",
        };
    }

    public Option<string?> Targets { get; }

    public Option<int> Concurrency { get; }

    public Option<TimeSpan?> Deadline { get; }

    public Option<string?> Resume { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Targets);
        command.Options.Add(Concurrency);
        command.Options.Add(Deadline);
        command.Options.Add(Resume);
    }

    /// <summary>The <c>--format</c> of <c>dbtls check</c>: a single report's text|json, or a fleet's / CI system's formats.</summary>
    public static Option<string> CreateCheckFormat(string json)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "Output format: text for people, " + json + ", ndjson (one JSON line per target), sarif or junit for CI systems.",
            HelpName = "text|json|ndjson|sarif|junit",
            DefaultValueFactory = _ => Rendering.OutputFormats.Text,
        };
        option.AcceptOnlyFromAmong(Rendering.OutputFormats.Text, Rendering.OutputFormats.Json, Ndjson, Sarif, Junit);
        return option;
    }

    /// <summary>Whether this command line runs through the fleet path: an inventory, or a format only it writes.</summary>
    public bool IsFleet(ParseResult parseResult, Option<string> format) =>
        parseResult.GetValue(Targets) is not null || parseResult.GetValue(format) is Ndjson or Sarif or Junit;

    private static TimeSpan? ParseSeconds(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0 && seconds <= 7 * 86_400)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        result.AddError("--deadline takes a number of seconds greater than 0 and at most a week, e.g. --deadline 300.");
        return null;
    }
}
