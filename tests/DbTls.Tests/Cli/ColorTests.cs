using DbTls.Cli;
using DbTls.Cli.Rendering;

namespace DbTls.Tests.Cli;

public class ColorTests
{
    [Theory]
    [InlineData(true, null, null, true)]
    [InlineData(true, "1", null, false)]
    [InlineData(true, "0", null, false)] // NO_COLOR disables whatever its value, as long as it is not empty
    [InlineData(true, "", null, true)]
    [InlineData(true, null, "dumb", false)]
    [InlineData(false, null, null, false)]
    public void Colour_only_on_a_terminal_without_NO_COLOR(bool terminal, string? noColor, string? term, bool expected)
    {
        var env = new Dictionary<string, string>();
        if (noColor is not null)
        {
            env["NO_COLOR"] = noColor;
        }

        if (term is not null)
        {
            env["TERM"] = term;
        }

        var host = new CliHost(TextWriter.Null, TextWriter.Null, env) { OutputIsTerminal = terminal };

        Assert.Equal(expected, ColorPolicy.UseColor(host));
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(true, "1", false)]
    [InlineData(false, null, false)]
    public async Task The_check_output_follows_the_colour_policy(bool terminal, string? noColor, bool escapes)
    {
        var env = noColor is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["NO_COLOR"] = noColor };
        var runner = FakeDialect.Returning(SampleReports.Full());

        var result = await CliRun.RunAsync(["check", "host=db"], env, h => h with
        {
            OutputIsTerminal = terminal,
            Dialects = h.Dialects.With(runner),
        });

        Assert.Equal(escapes, result.Stdout.Contains('\u001b', StringComparison.Ordinal));
        Assert.Contains("REJECTED", result.Stdout);
    }

    [Fact]
    public async Task Json_never_has_colour()
    {
        var runner = FakeDialect.Returning(SampleReports.Full());

        var result = await CliRun.RunAsync(["check", "host=db", "--format", "json"], null, h => h with
        {
            OutputIsTerminal = true,
            Dialects = h.Dialects.With(runner),
        });

        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    [Fact]
    public async Task Terminal_width_is_used_within_limits()
    {
        var runner = FakeDialect.Returning(SampleReports.Full());

        // Only a terminal has a width; NO_COLOR keeps escape sequences out of the line lengths.
        var plain = new Dictionary<string, string> { ["NO_COLOR"] = "1" };
        var wide = await CliRun.RunAsync(["check", "host=db"], plain, h => h with { OutputIsTerminal = true, Width = 100, Dialects = h.Dialects.With(runner) });
        var huge = await CliRun.RunAsync(["check", "host=db"], plain, h => h with { OutputIsTerminal = true, Width = 500, Dialects = h.Dialects.With(runner) });

        Assert.Equal(100, wide.Stdout.Split('\n').Max(l => l.Length));
        Assert.Equal(TextSettings.MaximumWidth, huge.Stdout.Split('\n').Max(l => l.Length));
    }
}
