namespace DbTls.Tls.Revocation;

/// <summary>The certificate status an OCSP SingleResponse states (RFC 6960 4.2.1).</summary>
internal enum OcspCertStatus
{
    Good,
    Revoked,
    Unknown,
}

/// <summary>Where the OCSP answer that decided came from.</summary>
internal enum OcspSource
{
    Stapled,
    Responder,
    Cache,
}

/// <summary>A verified OCSP answer for one certificate.</summary>
internal sealed record OcspAnswer(
    OcspCertStatus Status,
    DateTimeOffset ThisUpdate,
    DateTimeOffset? NextUpdate,
    DateTimeOffset? RevocationTime,
    string? RevocationReason,
    string Signer)
{
    /// <summary>Good and revoked are conclusive; unknown is not (the specification neither trusts nor caches it).</summary>
    public bool IsConclusive => Status is OcspCertStatus.Good or OcspCertStatus.Revoked;
}

/// <summary>The result of verifying one OCSP response: an answer, or why the response cannot be used.</summary>
internal sealed record OcspVerification(OcspAnswer? Answer, string? Problem)
{
    public static OcspVerification Invalid(string problem) => new(null, problem);

    public static OcspVerification Valid(OcspAnswer answer) => new(answer, null);
}
