using DbTls.Net;
using DbTls.Wire.Postgres;
using DbTls.Wire.Tds;

namespace DbTls.Transports;

/// <summary>
/// A connection opened by <see cref="PreTlsTransport.OpenAsync"/> to the point where the TLS ClientHello goes:
/// what the server said before TLS, and the stream that carries TLS bytes correctly for the protocol.
/// </summary>
internal sealed class PreTlsChannel : IAsyncDisposable
{
    internal PreTlsChannel(PreTlsProtocol protocol, NetConnection connection, Stream tlsStream, SslRequestAnswer? sslRequestAnswer = null, PreLoginMessage? preLoginAnswer = null)
    {
        Protocol = protocol;
        Connection = connection;
        TlsStream = tlsStream;
        SslRequestAnswer = sslRequestAnswer;
        PreLoginAnswer = preLoginAnswer;
    }

    public PreTlsProtocol Protocol { get; }

    /// <summary>The socket and its observed stream (bytes each way, whether the server hung up).</summary>
    public NetConnection Connection { get; }

    /// <summary>
    /// Where the ClientHello is written and the server's TLS records are read: the socket's stream, or under
    /// TDS 7.x a stream that wraps and unwraps PRELOGIN packets.
    /// </summary>
    public Stream TlsStream { get; }

    /// <summary>The server's answer to SSLRequest (<see cref="PreTlsProtocol.PostgresSslRequest"/> only).</summary>
    public SslRequestAnswer? SslRequestAnswer { get; }

    /// <summary>The server's PRELOGIN answer, with its ENCRYPTION value and version (<see cref="PreTlsProtocol.TdsPreLogin"/> only).</summary>
    public PreLoginMessage? PreLoginAnswer { get; }

    /// <summary>
    /// False when the server said no TLS will follow (SSLRequest answered other than 'S', or 'S' with clear
    /// bytes behind it). A PRELOGIN answer never makes it false: what a driver does with ENCRYPTION NOT_SUP is
    /// the driver's rule, and a scanner may still try.
    /// </summary>
    public bool MayStartTls => SslRequestAnswer?.MayStartTls ?? true;

    /// <summary>The ALPN protocol the server expects in the ClientHello, or null when it expects none.</summary>
    public string? RequiredAlpn => Protocol switch
    {
        PreTlsProtocol.PostgresDirect => PostgresProtocol.Alpn,
        PreTlsProtocol.TdsStrict => TdsVersions.Tds8Alpn,
        _ => null,
    };

    /// <summary>Under TDS 7.x, call once the TLS handshake is done: from then on TLS records travel bare. Elsewhere it does nothing.</summary>
    public void FinishHandshake() => (TlsStream as TdsTlsFramingStream)?.FinishHandshake();

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(TlsStream, Connection.Stream))
        {
            await TlsStream.DisposeAsync().ConfigureAwait(false);
        }

        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
