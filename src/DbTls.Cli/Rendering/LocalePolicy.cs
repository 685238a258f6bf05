namespace DbTls.Cli.Rendering;

/// <summary>
/// Whether the user's locale can show UTF-8 (box drawing, ✓ ✗). Decided the way the C library and terminals decide
/// the character set: the first non-empty of LC_ALL, LC_CTYPE, LANG names the locale, and its codeset (after the dot,
/// before any <c>@modifier</c>) says the encoding. No variable at all means the "C" locale, which is ASCII.
/// </summary>
internal static class LocalePolicy
{
    public static bool IsUtf8(CliHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var locale = host.GetVariable("LC_ALL") ?? host.GetVariable("LC_CTYPE") ?? host.GetVariable("LANG");

        // Windows has no POSIX locale variables; its consoles draw Unicode.
        return locale is null ? OperatingSystem.IsWindows() : IsUtf8Locale(locale);
    }

    /// <summary>Whether a locale name such as <c>en_US.UTF-8</c>, <c>C.utf8</c> or <c>de_DE.UTF-8@euro</c> uses UTF-8.</summary>
    public static bool IsUtf8Locale(string locale)
    {
        ArgumentNullException.ThrowIfNull(locale);
        var span = locale.AsSpan();
        var at = span.IndexOf('@');
        if (at >= 0)
        {
            span = span[..at];
        }

        var dot = span.IndexOf('.');
        if (dot < 0)
        {
            return false;
        }

        var codeset = span[(dot + 1)..];
        return codeset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || codeset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}
