namespace DbTls.Policy;

/// <summary>What the user demands of encryption before any credential leaves the client.</summary>
public enum EncryptionMode
{
    /// <summary>Never negotiate TLS (libpq <c>disable</c>, JDBC <c>encrypt=false</c> with a server that allows it).</summary>
    Disabled,

    /// <summary>
    /// Use TLS when the peer agrees, fall back to plaintext when it does not. The order is given by
    /// <see cref="TlsPolicy.OpportunisticOrder"/>. An active attacker can always force the plaintext
    /// branch (answer 'N', drop the handshake), so this mode protects against passive eavesdropping
    /// only; dbtls reports it as a warning.
    /// </summary>
    Opportunistic,

    /// <summary>TLS is negotiated in the protocol (SSLRequest, PRELOGIN) and refusal is fatal.</summary>
    Required,

    /// <summary>TLS starts on the first byte, before any protocol message (PostgreSQL direct TLS, TDS 8.0 strict).</summary>
    TlsFirst,
}

/// <summary>Which branch an opportunistic connection tries first.</summary>
public enum OpportunisticOrder
{
    /// <summary>Try TLS, fall back to plaintext (libpq <c>prefer</c>).</summary>
    EncryptedFirst,

    /// <summary>Try plaintext, retry with TLS when the server rejects it (libpq <c>allow</c>).</summary>
    PlaintextFirst,
}
