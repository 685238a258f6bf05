namespace DbTls.Cli.Rendering;

/// <summary>When output is coloured: only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM=dumb.</summary>
internal static class ColorPolicy
{
    public static bool UseColor(CliHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!host.OutputIsTerminal)
        {
            return false;
        }

        // no-color.org: "present and not an empty string" disables colour, whatever the value.
        if (host.GetVariable("NO_COLOR") is not null)
        {
            return false;
        }

        return !string.Equals(host.GetVariable("TERM"), "dumb", StringComparison.Ordinal);
    }
}
