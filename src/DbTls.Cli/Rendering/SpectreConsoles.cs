using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>Spectre consoles that write to a given writer with an explicit colour decision, so output is testable.</summary>
internal static partial class SpectreConsoles
{
    public static IAnsiConsole Create(TextWriter writer, TextSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = settings.Color ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = settings.Color ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,

            // Our own decision stands; Spectre must not re-read the process environment.
            EnvironmentVariables = new Dictionary<string, string>(StringComparer.Ordinal),
        });
        // Off a terminal nothing wraps (see TextSettings.Wrap): the console is as wide as any line can be.
        console.Profile.Width = settings.Wrap ? settings.Width : UnwrappedWidth;
        console.Profile.Encoding = Encoding.UTF8;
        console.Profile.Capabilities.Unicode = settings.Unicode;
        return console;
    }

    /// <summary>Renders with <paramref name="draw"/> into a string.</summary>
    public static string Render(TextSettings settings, Action<IAnsiConsole> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        draw(Create(writer, settings));

        // Spectre pads grid cells to the full width; the padding is noise in files and diffs.
        var text = TrailingSpaces().Replace(writer.ToString(), "$1");
        return settings.Unicode ? text : AsciiText.Fold(text);
    }

    // Wider than any value dbtls prints (paths are bounded by PATH_MAX, 4096), narrow enough that Spectre's
    // per-line measuring stays cheap.
    private const int UnwrappedWidth = 16384;

    // Spaces at the end of a line, possibly followed by ANSI style resets.
    [GeneratedRegex(@" +((?:\x1b\[[0-9;]*m)*)(?=\r?$)", RegexOptions.Multiline)]
    private static partial Regex TrailingSpaces();
}
