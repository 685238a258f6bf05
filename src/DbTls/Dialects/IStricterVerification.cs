namespace DbTls.Dialects;

/// <summary>
/// A dialect that can name its own setting that verifies the server fully, and write the user's connection string with
/// it. <see cref="StricterSetting"/> dispatches to it for <c>cert.would-fail-verification</c>; a dialect that implements
/// it needs no other registration.
/// </summary>
internal interface IStricterVerification
{
    /// <param name="redactedConnectionString">The connection string as the report shows it (secrets masked), or null.</param>
    StricterAdvice Stricter(string? redactedConnectionString);
}

/// <summary>What a stricter setting of the same driver is, and how to get there.</summary>
/// <param name="Setting">The setting in the driver's words, e.g. <c>sslmode=verify-full</c>.</param>
/// <param name="Fix">What to do, in the driver's words.</param>
/// <param name="Corrected">The user's own (redacted) string with that setting, edited where its parser found the values; null when it does not parse or the driver's setting lives elsewhere (freetds.conf).</param>
internal sealed record StricterAdvice(string Setting, string Fix, string? Corrected)
{
    /// <summary>The remedy: the fix, then the corrected string when there is one.</summary>
    public string Remedy => Corrected is null ? Fix : $"{Fix.TrimEnd('.')}: {Corrected}";
}
