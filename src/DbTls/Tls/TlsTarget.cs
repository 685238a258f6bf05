namespace DbTls.Tls;

/// <summary>
/// Who the client believes it is talking to: the host name (or IP literal) the user wrote, which
/// drives SNI and host-name verification.
/// </summary>
internal sealed record TlsTarget(string? HostName)
{
    /// <summary>
    /// Opens a second transport to the same server, positioned where the TLS handshake starts (after
    /// any protocol preamble). Used only by OCSP checking to read the stapled response with a probe
    /// handshake, because .NET's SslStream does not hand the staple to the client. When null and the
    /// handshake transport is a <see cref="System.Net.Sockets.NetworkStream"/> on which TLS starts at
    /// the first byte, a TCP connection to the same remote end point is used.
    /// </summary>
    public Func<CancellationToken, ValueTask<Stream>>? OpenProbeTransport { get; init; }
}
