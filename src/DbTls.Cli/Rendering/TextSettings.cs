namespace DbTls.Cli.Rendering;

/// <summary>How human-readable output is drawn.</summary>
/// <param name="Color">ANSI colour and styles; off unless writing to a terminal without NO_COLOR.</param>
/// <param name="Width">Columns to lay out for: rules, the verdict box and, when <see cref="Wrap"/>, the values.</param>
/// <param name="Now">The moment certificate validity is judged against ("expires in 12 days").</param>
internal sealed record TextSettings(bool Color, int Width, DateTimeOffset Now)
{
    public const int DefaultWidth = 80;

    // Below this the key/value columns no longer fit; above it lines get too long to read.
    public const int MinimumWidth = 60;
    public const int MaximumWidth = 120;

    /// <summary>
    /// Whether values wrap at <see cref="Width"/>. Only on a terminal: in a file or a pipe a wrapped path or
    /// connection string breaks when copied, and nobody reads it at a fixed width anyway.
    /// </summary>
    public bool Wrap { get; init; } = true;

    /// <summary>Box drawing and ✓ ✗; false draws ASCII, for locales that are not UTF-8.</summary>
    public bool Unicode { get; init; } = true;

    public static TextSettings For(CliHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var width = Math.Clamp(host.Width ?? DefaultWidth, MinimumWidth, MaximumWidth);
        return new TextSettings(ColorPolicy.UseColor(host), width, host.Time.GetUtcNow())
        {
            Wrap = host.OutputIsTerminal,
            Unicode = LocalePolicy.IsUtf8(host),
        };
    }
}
