using DbTls.Diagnostics;

namespace DbTls.Dialects.Libpq;

/// <summary>Errors worded like libpq's own, so that a user can search for them.</summary>
internal static class LibpqErrors
{
    public static DbTlsException Invalid(string message, string? remedy = null) =>
        new(FindingCodes.ConfigInvalid, message, remedy);

    /// <summary>libpq's <c>invalid %s value: "%s"</c> for a keyword with a fixed set of values.</summary>
    public static DbTlsException InvalidValue(string keyword, string value, IEnumerable<string> allowed) =>
        Invalid($"invalid {keyword} value: \"{value}\"", $"Use one of: {string.Join(", ", allowed)}.");

    /// <summary>A value that is shown in an error only when it is not a secret.</summary>
    public static string Shown(string keyword, string value) =>
        LibpqKeywords.IsSecret(keyword) ? "********" : value;
}
