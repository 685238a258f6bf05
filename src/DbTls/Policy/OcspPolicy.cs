namespace DbTls.Policy;

/// <summary>
/// Online Certificate Status Protocol checking of the server's own certificate, as the MongoDB
/// "OCSP Support" driver specification describes it: the stapled response first, then a cached
/// response, then the certificate's responder (the OCSP URL in its Authority Information Access
/// extension). Intermediate certificates are never checked by OCSP (the specification says not to
/// reach out for them).
/// </summary>
public sealed record OcspPolicy
{
    /// <summary>No OCSP at all: no staple is looked at, Must-Staple is not enforced, no responder is asked.</summary>
    public static OcspPolicy Off { get; } = new() { Enabled = false, QueryResponder = false };

    /// <summary>The specification's default: staple checked, Must-Staple enforced, responder asked, soft fail.</summary>
    public static OcspPolicy SoftFail { get; } = new();

    /// <summary>
    /// Check the stapled response (a response that is invalid, does not cover the certificate or says
    /// revoked ends the connection) and enforce Must-Staple (TLS feature extension with status_request and
    /// no staple ends the connection).
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Ask the certificate's OCSP responder when neither the staple, the cache nor a CRL settled the
    /// status (MongoDB <c>tlsDisableOCSPEndpointCheck=false</c>).
    /// </summary>
    public bool QueryResponder { get; init; } = true;

    /// <summary>Timeout for the responder request; the specification's default is five seconds.</summary>
    public TimeSpan ResponderTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When false (the specification's "soft fail"), a status that stays unconfirmed (responder down,
    /// unusable answer, "unknown") is a warning and the connection goes on. When true it is a failure.
    /// Revoked, invalid staples and missing Must-Staple staples fail either way.
    /// </summary>
    public bool HardFail { get; init; }
}
