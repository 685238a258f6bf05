using System.Globalization;
using DbTls.Reports;

namespace DbTls.Gates;

/// <summary>
/// Reads the requirements of <c>--require</c> and <c>--fail-on</c>: <c>verified</c>, <c>encrypted</c>,
/// <c>verify-full-everywhere</c>, <c>no-expiry-within:30d</c> (days <c>d</c> or hours <c>h</c>), <c>min-tls:1.2</c>,
/// or the path of a JSON policy file (<see cref="GatePolicyFile"/>) that lists such requirements.
/// </summary>
public static class GateProfiles
{
    public const string FailOnWarning = "warning";
    public const string FailOnError = "error";

    /// <summary>The profile names for help text and error messages.</summary>
    public const string Names = "verified, encrypted, verify-full-everywhere, no-expiry-within:DAYSd, min-tls:1.0-1.3, or a policy file (*.json)";

    public static bool TryParseFailOn(string? value, out IGateRule? rule)
    {
        rule = value switch
        {
            FailOnWarning or FailOnError => new SeverityRule(value),
            _ => null,
        };
        return rule is not null;
    }

    /// <summary>Parses one <c>--require</c> value; a policy file may give several rules.</summary>
    public static bool TryParse(string value, out IReadOnlyList<IGateRule> rules, out string error)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return GatePolicyFile.TryLoad(value, out rules, out error);
        }

        rules = [];
        if (!TryParseProfile(value, out var rule))
        {
            error = $"--require takes {Names}; '{Shown(value)}' is none of these.";
            return false;
        }

        rules = [rule];
        error = "";
        return true;
    }

    internal static bool TryParseProfile(string value, out IGateRule rule)
    {
        rule = null!;
        switch (value)
        {
            case ProtectionLevels.Verified or ProtectionLevels.Encrypted:
                rule = new ProtectionRule(value);
                return true;
            case VerifyFullRule.Profile:
                rule = new VerifyFullRule();
                return true;
        }

        if (value.StartsWith(ExpiryRule.Prefix, StringComparison.Ordinal) && TryParseWindow(value.AsSpan(ExpiryRule.Prefix.Length), out var window))
        {
            rule = new ExpiryRule(value, window);
            return true;
        }

        if (value.StartsWith(MinTlsRule.Prefix, StringComparison.Ordinal) && TlsVersions.TryMinor(value.AsSpan(MinTlsRule.Prefix.Length), out var minor))
        {
            rule = new MinTlsRule(value, minor);
            return true;
        }

        return false;
    }

    /// <summary><c>30d</c> or <c>12h</c>: a whole number of days or hours, at most ten years.</summary>
    private static bool TryParseWindow(ReadOnlySpan<char> text, out TimeSpan window)
    {
        window = default;
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 3660 * 24)
        {
            return false;
        }

        switch (text[^1])
        {
            case 'd':
                window = TimeSpan.FromDays(count);
                return count <= 3660;
            case 'h':
                window = TimeSpan.FromHours(count);
                return true;
            default:
                return false;
        }
    }

    // A mistyped profile is echoed only when short and plain: a stray argument here may be part of a password.
    internal static string Shown(string value) =>
        value.Length <= 40 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '-' or '_') ? value : "…";
}
