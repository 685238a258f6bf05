namespace DbTls.Policy;

/// <summary>Whether a client certificate is offered and whether the server must ask for it (libpq <c>sslcertmode</c>).</summary>
public enum ClientCertificateMode
{
    /// <summary>Never send a client certificate.</summary>
    Disabled,

    /// <summary>Send one when the server asks and one is configured.</summary>
    Allowed,

    /// <summary>Fail when the server did not ask for a client certificate.</summary>
    Required,
}

/// <summary>A client certificate and its private key, PEM or DER; the key may be encrypted.</summary>
public sealed record ClientCertificateSource(string CertificatePath, string? KeyPath, Secret? KeyPassword);
