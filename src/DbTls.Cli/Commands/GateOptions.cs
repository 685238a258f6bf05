using System.CommandLine;
using DbTls.Gates;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>--fail-on warning|error</c> and <c>--require PROFILE</c> (repeatable): the bar a script sets on top of the
/// driver's policy. A report that meets its policy but not the bar exits with 4 (docs/exit-codes.md).
/// </summary>
internal sealed class GateOptions
{
    public GateOptions()
    {
        FailOn = new Option<string?>("--fail-on")
        {
            Description = "Also fail (exit 4) when the report has a finding of this severity or worse: warning or error.",
            HelpName = "warning|error",
        };
        FailOn.AcceptOnlyFromAmong(GateProfiles.FailOnWarning, GateProfiles.FailOnError);
        Require = new Option<string[]>("--require")
        {
            Description = "Also fail (exit 4) unless the connection meets this profile: " + GateProfiles.Names + ". Repeatable.",
            HelpName = "PROFILE",
            AllowMultipleArgumentsPerToken = false,
        };
        Require.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!GateProfiles.TryParse(token.Value, out _, out var error))
                {
                    result.AddError(error);
                }
            }
        });
    }

    public Option<string?> FailOn { get; }

    public Option<string[]> Require { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(FailOn);
        command.Options.Add(Require);
    }

    /// <summary>The gate the command line asks for (validated by the parser, so every value parses).</summary>
    public Gate Build(ParseResult parseResult)
    {
        var rules = new List<IGateRule>();
        foreach (var value in parseResult.GetValue(Require) ?? [])
        {
            if (GateProfiles.TryParse(value, out var parsed, out _))
            {
                rules.AddRange(parsed);
            }
        }

        if (GateProfiles.TryParseFailOn(parseResult.GetValue(FailOn), out var failOn))
        {
            rules.Add(failOn!);
        }

        return new Gate(rules);
    }
}
