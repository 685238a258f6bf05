using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Explain;

/// <summary>
/// The lint rules of <c>dbtls explain</c>: what the settings allow, judged from the description alone (no
/// network). Each rule is one method so that a test can show each one fires, and that it fires for a reason.
/// </summary>
public static class LintRules
{
    /// <summary>Every rule's findings for the description, remedies in the dialect's words.</summary>
    public static ImmutableArray<Finding> Evaluate(ConnectionDescription description, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(time);
        var findings = new List<Finding>();
        findings.AddRange(CredentialsInClear(description));
        findings.AddRange(PlaintextFallback(description));
        findings.AddRange(UnverifiedEncryption(description));
        findings.AddRange(HostNameNotVerified(description));
        findings.AddRange(LegacyTls(description));
        findings.AddRange(LintOptions.Deprecated(description));
        findings.AddRange(LintOptions.Ignored(description));
        findings.AddRange(LintOptions.Repeated(description));
        findings.AddRange(LintFiles.Check(description.Tls, time.GetUtcNow()));
        return [.. findings.Select(f => LintRemedies.For(description.Dialect, f))];
    }

    /// <summary>The login can travel without TLS: encryption off, only requested, or a server answer that leads to plaintext.</summary>
    public static IEnumerable<Finding> CredentialsInClear(ConnectionDescription description)
    {
        var driver = DriverNames.Of(description.Dialect);
        var policy = description.Tls;
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            yield return Create(FindingCodes.LintCredentialsInClear, $"{description.PolicySummary}: {driver} never encrypts, so the login and the password travel in plaintext");
        }
        else if (description.ServerAnswers is { } table)
        {
            var plaintext = AnswersWhere(table, r => r.Action == TdsAnswerAction.Plaintext);
            if (plaintext.Count > 0)
            {
                yield return Create(FindingCodes.LintCredentialsInClear, $"{description.PolicySummary}: when the server (or an attacker in the path) answers {string.Join(" or ", plaintext)}, {driver} sends the login (user name and the merely obfuscated password) in plaintext");
            }
        }
        else if (policy.Encryption == EncryptionMode.Opportunistic)
        {
            yield return Create(FindingCodes.LintCredentialsInClear, $"{description.PolicySummary}: an attacker who refuses TLS gets {driver} to log in over plaintext");
        }
    }

    /// <summary>Data can travel in plaintext after a refusal, or after a login-only TLS session.</summary>
    public static IEnumerable<Finding> PlaintextFallback(ConnectionDescription description)
    {
        var driver = DriverNames.Of(description.Dialect);
        if (description.Tls.Encryption == EncryptionMode.Disabled)
        {
            yield break;
        }

        if (description.ServerAnswers is { } table)
        {
            var loginOnly = AnswersWhere(table, r => r.Action == TdsAnswerAction.LoginOnly);
            var plaintext = AnswersWhere(table, r => r.Action == TdsAnswerAction.Plaintext);
            if (loginOnly.Count > 0 || plaintext.Count > 0)
            {
                yield return Create(FindingCodes.LintPlaintextFallback, $"{description.PolicySummary}: queries and results travel in plaintext when the server answers {string.Join(" or ", loginOnly.Concat(plaintext))}");
            }
        }
        else if (description.Tls.Encryption == EncryptionMode.Opportunistic)
        {
            var extra = description.Tls.FallBackOnHandshakeFailure ? ", and even when the TLS handshake or the certificate check fails" : "";
            yield return Create(FindingCodes.LintPlaintextFallback, $"{description.PolicySummary}: {driver} continues in plaintext when the server does not agree to TLS{extra}");
        }
    }

    /// <summary>TLS without a certificate check, including login-only TLS that accepts any certificate.</summary>
    public static IEnumerable<Finding> UnverifiedEncryption(ConnectionDescription description)
    {
        var driver = DriverNames.Of(description.Dialect);
        var policy = description.Tls;
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            yield break;
        }

        if (policy.Verification == VerificationLevel.None)
        {
            yield return Create(FindingCodes.LintUnverifiedEncryption, $"{description.PolicySummary}: {driver} accepts any server certificate, so anyone in the path can impersonate the server and read the login");
        }
        else if (description.ServerAnswers is { } table)
        {
            var unverified = AnswersWhere(table, r => r.Action is TdsAnswerAction.LoginOnly or TdsAnswerAction.Encrypt && !r.VerifiesCertificate);
            if (unverified.Count > 0)
            {
                yield return Create(FindingCodes.LintUnverifiedEncryption, $"{description.PolicySummary}: when the server answers {string.Join(" or ", unverified)}, {driver} encrypts the login but accepts any certificate, so an attacker in the path reads the password");
            }
        }
    }

    /// <summary>The chain is verified but not the host name (libpq verify-ca and its equivalents): any certificate the CA issued passes.</summary>
    internal static IEnumerable<Finding> HostNameNotVerified(ConnectionDescription description)
    {
        if (description.Tls.Encryption != EncryptionMode.Disabled && description.Tls.Verification == VerificationLevel.Chain)
        {
            yield return Create(FindingCodes.LintHostnameNotVerified, $"{description.PolicySummary}: {DriverNames.Of(description.Dialect)} checks that the certificate chains to a trusted root ({description.Tls.Trust.Describe()}) but not that it names the host, so a server holding any certificate from that CA, for any name, is accepted");
        }
    }

    /// <summary>TLS 1.0 or 1.1 enabled by the settings.</summary>
    public static IEnumerable<Finding> LegacyTls(ConnectionDescription description)
    {
        if (description.Tls.Encryption != EncryptionMode.Disabled && description.Tls.MinProtocol is { } min && min < TlsProtocolVersion.Tls12)
        {
            yield return Create(FindingCodes.LintLegacyTls, $"{DriverNames.Of(description.Dialect)} will accept {min.ToDisplay()}, which is deprecated (RFC 8996)");
        }
    }

    internal static Finding Create(string code, string message) => FindingCatalog.Create(code, message);

    private static List<string> AnswersWhere(TdsServerAnswerTable table, Func<TdsAnswerRule, bool> predicate) =>
        [.. TdsAnswerExplainer.Answers.Where(a => predicate(table.For(a.Answer))).Select(a => a.Name)];
}
