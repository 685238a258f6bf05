namespace DbTls.Auth;

/// <summary>The hash a SCRAM mechanism is built on.</summary>
internal enum ScramHash
{
    Sha1,
    Sha256,
}

/// <summary>What the client says about channel binding in the GS2 header (RFC 5802 section 6).</summary>
internal enum ScramChannelBinding
{
    /// <summary>"n": the client does not support channel binding (not over TLS, channel_binding=disable, MongoDB).</summary>
    NotSupported,

    /// <summary>"y": the client supports it but believes the server does not (TLS, but no -PLUS offered).</summary>
    SupportedButNotOffered,

    /// <summary>"p=tls-server-end-point": bound to the hash of the server certificate (RFC 5929).</summary>
    TlsServerEndPoint,
}

/// <summary>Where drivers differ in what they accept from the server.</summary>
/// <param name="MinIterations">Fewest iterations accepted (libpq: 1; MongoDB auth spec: 4096).</param>
/// <param name="MaxIterations">Most iterations dbtls will compute.</param>
/// <param name="NonceMustGrow">The server must append to the client nonce (MongoDB); libpq accepts an equal nonce.</param>
/// <param name="ExtensionsAllowed">Attributes after the mandatory ones are ignored (RFC 5802, MongoDB drivers);
/// libpq calls them "garbage at end" and stops.</param>
internal sealed record ScramRules(int MinIterations, int MaxIterations, bool NonceMustGrow, bool ExtensionsAllowed)
{
    /// <summary>The longest server message dbtls reads; real ones are well under 200 bytes.</summary>
    public const int MaxServerMessageLength = 4096;

    /// <summary>The longest salt accepted (servers use 16 to 28 bytes).</summary>
    public const int MaxSaltLength = 1024;
}
