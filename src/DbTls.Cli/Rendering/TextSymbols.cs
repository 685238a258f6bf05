namespace DbTls.Cli.Rendering;

/// <summary>The marks in front of validation steps, the verdict and findings, in Unicode or, for non-UTF-8 locales, ASCII.</summary>
internal sealed record TextSymbols(string Passed, string Failed, string Skipped, string Warning, string Info)
{
    public static readonly TextSymbols Unicode = new("✓", "✗", "–", "!", "i");

    // One character each, so columns line up as they do in Unicode.
    public static readonly TextSymbols Ascii = new("+", "x", "-", "!", "i");

    public static TextSymbols For(TextSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Unicode ? Unicode : Ascii;
    }
}
