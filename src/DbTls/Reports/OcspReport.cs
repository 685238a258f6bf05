namespace DbTls.Reports;

/// <summary>What OCSP said about the server's own certificate (absent when the policy does not check OCSP).</summary>
public sealed class OcspReport
{
    /// <summary>Whether the server stapled a response; null when dbtls could not look (no probe connection possible).</summary>
    public bool? Stapled { get; set; }

    /// <summary>Whether the certificate demands a staple (TLS feature extension with status_request, RFC 7633).</summary>
    public bool MustStaple { get; set; }

    /// <summary><c>stapled</c> | <c>responder</c> | <c>cache</c>: where the deciding answer came from; null when none did.</summary>
    public string? Source { get; set; }

    /// <summary><c>good</c> | <c>revoked</c> | <c>unknown</c>; null when no valid answer was obtained.</summary>
    public string? Status { get; set; }

    public DateTimeOffset? ThisUpdate { get; set; }

    public DateTimeOffset? NextUpdate { get; set; }

    public DateTimeOffset? RevocationTime { get; set; }

    /// <summary>RFC 5280 reason name, e.g. <c>keyCompromise</c>.</summary>
    public string? RevocationReason { get; set; }

    /// <summary>The responder URL that was asked; null when none was.</summary>
    public string? Responder { get; set; }
}
