using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tls.HostNames;

/// <summary>
/// One driver's rules for deciding whether a server certificate is valid for the host name the
/// client used. Drivers disagree (CN fallback, wildcard forms, IP parsing), so each rule set is
/// its own implementation; <see cref="HostNameMatchers.For"/> picks one from the policy.
/// </summary>
internal interface IHostNameMatcher
{
    /// <summary>Short name shown in the report, e.g. <c>libpq</c>.</summary>
    string Name { get; }

    /// <param name="certificate">The server (leaf) certificate.</param>
    /// <param name="hostName">The non-empty host name to verify.</param>
    HostNameMatchResult Match(X509Certificate2 certificate, string hostName);

    /// <summary>
    /// Matches with both names a driver may consult: the connection host and the policy's expected name
    /// (<c>HostNameInCertificate</c>, <c>certificate hostname</c>). By default the expected name, when set,
    /// simply replaces the host; a driver that looks at both (SqlClient) overrides this.
    /// </summary>
    /// <param name="certificate">The server (leaf) certificate.</param>
    /// <param name="connectionHost">The host the client connected to (may be null or empty when only the expected name is known).</param>
    /// <param name="expectedHostName">The policy's expected host name, or null.</param>
    HostNameMatchResult Match(X509Certificate2 certificate, string? connectionHost, string? expectedHostName) =>
        Match(certificate, expectedHostName ?? connectionHost ?? throw new ArgumentNullException(nameof(connectionHost)));
}

/// <summary>The outcome of a host-name match, with the driver-style message.</summary>
/// <param name="IsMatch">Whether the certificate is valid for the host.</param>
/// <param name="FailureCode">The finding code when it is not (<c>cert.hostname-mismatch</c>, <c>cert.no-host-name</c>).</param>
/// <param name="Message">What matched, or the driver's error text.</param>
/// <param name="NamesExamined">The certificate names compared, in order, as the driver prints them.</param>
internal sealed record HostNameMatchResult(bool IsMatch, string? FailureCode, string Message, IReadOnlyList<string> NamesExamined);
