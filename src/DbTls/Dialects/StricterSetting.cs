using DbTls.Diagnostics;
using DbTls.Tls.Verification;

namespace DbTls.Dialects;

/// <summary>
/// Words a <see cref="FindingCodes.CertWouldFailVerification"/> warning in the dialect the user wrote: which setting of
/// that driver verifies fully, and the user's own connection string with it. Each dialect says this itself
/// (<see cref="IStricterVerification"/>, in its folder); the string is rewritten from the report's already redacted text
/// by parsing it, so no secret can reach the remedy.
/// </summary>
internal static class StricterSetting
{
    /// <param name="dialect">The report's target dialect.</param>
    /// <param name="redactedConnectionString">The connection string as the report shows it (secrets masked).</param>
    /// <param name="finding">The finding to word; any other finding is returned as it is.</param>
    public static Finding For(string? dialect, string? redactedConnectionString, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        if (finding.Code != FindingCodes.CertWouldFailVerification
            || !finding.Message.StartsWith(StricterVerification.MessagePrefix, StringComparison.Ordinal)
            || dialect is null
            || DialectRegistry.Default.Find(dialect) is not IStricterVerification stricter)
        {
            return finding;
        }

        var reasons = finding.Message[StricterVerification.MessagePrefix.Length..];
        var advice = stricter.Stricter(redactedConnectionString);
        return finding with { Message = $"with {advice.Setting} this connection would fail: {reasons}", Remedy = advice.Remedy };
    }

    /// <summary>The redacted libpq string with sslmode=verify-full; null when it does not parse.</summary>
    internal static string? Corrected(string? redacted) => Libpq.LibpqDialect.VerifyFull(redacted);
}
