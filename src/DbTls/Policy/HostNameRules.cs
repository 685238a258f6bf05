namespace DbTls.Policy;

/// <summary>
/// Which driver's host-name matching rules apply. Drivers differ (libpq allows one-label <c>*.</c>
/// wildcards only and falls back to the CN when no SAN of the host's type exists; RFC 6125 never
/// falls back to the CN when any DNS SAN exists), so the rule set is part of the policy.
/// </summary>
public enum HostNameRules
{
    /// <summary>libpq (fe-secure-common.c / fe-secure-openssl.c).</summary>
    Libpq,

    /// <summary>RFC 6125 as .NET's SslStream applies it.</summary>
    Rfc6125,
}
