namespace DbTls.Tls;

/// <summary>
/// What a failed handshake says, in the terms <see cref="HandshakeFailures.Classify(in HandshakeFailureFacts, Policy.TlsPolicy, bool?, bool, bool)"/>
/// needs. Each TLS engine has an adapter that reads its own failures into these facts (OpenSSL's error text for
/// SslStream, the alert numbers for the BouncyCastle engine), so the rules and the findings' wording have one home.
/// </summary>
internal readonly record struct HandshakeFailureFacts
{
    /// <summary>The failure in the words findings quote: OpenSSL's reason, or ours for BouncyCastle.</summary>
    public required string Reason { get; init; }

    /// <summary>The peers share no protocol version.</summary>
    public bool VersionRefused { get; init; }

    /// <summary>The reason may be the server's verdict on the client's certificate (an alert it sent).</summary>
    public bool MayJudgeClientCertificate { get; init; }

    /// <summary>What came back was not TLS records at all.</summary>
    public bool NotTls { get; init; }

    /// <summary>dbtls' own record check refused the server's bytes; the reason says why.</summary>
    public bool RecordViolation { get; init; }

    /// <summary>The connection broke (end of stream, reset) rather than the peers disagreeing.</summary>
    public bool ConnectionBroke { get; init; }

    /// <summary>A handshake_failure alert, which from an old server means no shared cipher suite at its version.</summary>
    public bool HandshakeFailureAlert { get; init; }

    /// <summary>The number of the alert the server sent, when the engine reports one.</summary>
    public int? ReceivedAlert { get; init; }
}
