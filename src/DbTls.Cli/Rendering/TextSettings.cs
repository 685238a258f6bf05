namespace DbTls.Cli.Rendering;

/// <summary>How human-readable output is drawn.</summary>
/// <param name="Color">ANSI colour and styles; off unless writing to a terminal without NO_COLOR.</param>
/// <param name="Width">Columns to lay out for.</param>
/// <param name="Now">The moment certificate validity is judged against ("expires in 12 days").</param>
internal sealed record TextSettings(bool Color, int Width, DateTimeOffset Now)
{
    public const int DefaultWidth = 80;

    // Below this the key/value columns no longer fit; above it lines get too long to read.
    public const int MinimumWidth = 60;
    public const int MaximumWidth = 120;

    public static TextSettings For(CliHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var width = Math.Clamp(host.Width ?? DefaultWidth, MinimumWidth, MaximumWidth);
        return new TextSettings(ColorPolicy.UseColor(host), width, host.Time.GetUtcNow());
    }
}
