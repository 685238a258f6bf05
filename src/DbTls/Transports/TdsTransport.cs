using DbTls.Wire.Tds;

namespace DbTls.Transports;

/// <summary>
/// SQL Server up to the TLS ClientHello. Under TDS 7.x the client sends PRELOGIN, reads the server's PRELOGIN
/// answer (its ENCRYPTION value decides whether TLS follows), and then carries the TLS handshake inside
/// PRELOGIN packets (type 0x12) until it completes: <see cref="WrapForTls"/> does that wrapping. Under TDS 8.0
/// strict the ClientHello, offering ALPN <c>tds/8.0</c>, is the first byte on the connection and PRELOGIN
/// follows inside TLS.
/// </summary>
/// <example>
/// <code>
/// await using var connection = await TcpConnector.ConnectAsync(host, 1433, null, ct);
/// var request = TdsTransport.ClientPreLogin(PreLoginEncryption.On);
/// var answer = await TdsTransport.ExchangePreLoginAsync(connection.Stream, request, ct);
/// var tls = TdsTransport.WrapForTls(connection.Stream); // write the ClientHello here, read the ServerHello here
/// // with SslStream: new SslStream(tls), and tls.FinishHandshake() once the handshake is done.
/// </code>
/// </example>
internal static class TdsTransport
{
    /// <summary>The PRELOGIN VERSION dbtls announces (the client's driver version; servers only log it).</summary>
    private static readonly PreLoginVersion ClientVersion = new(1, 0, 0, 0);

    /// <summary>
    /// PRELOGIN as SqlClient sends it: VERSION first (MS-TDS 3.3.5.1: a server closes otherwise), ENCRYPTION,
    /// INSTOPT with the instance name or an empty one, THREADID, MARS off and TRACEID. dbtls logs in with SQL
    /// authentication only, so it never asks for FEDAUTHREQUIRED.
    /// </summary>
    public static PreLoginMessage ClientPreLogin(PreLoginEncryption encryption, string? instance = null) => new()
    {
        Version = ClientVersion,
        Encryption = encryption,
        Instance = PreLoginMessage.ClientInstance(instance ?? ""),
        ThreadId = (uint)Environment.CurrentManagedThreadId,
        Mars = 0,
        TraceId = new PreLoginTraceId(Guid.NewGuid(), Guid.NewGuid(), 0),
    };

    /// <summary>Sends <paramref name="request"/> and reads the server's PRELOGIN answer; every length is checked by the codec, the size by the reader.</summary>
    /// <exception cref="Diagnostics.DbTlsException">
    /// <c>server.closed</c> when the server hangs up; <c>server.protocol_violation</c> for an answer that is not a
    /// well-formed PRELOGIN in a tabular-result packet; <c>server.message_too_large</c> for an oversized one.
    /// </exception>
    public static async Task<PreLoginMessage> ExchangePreLoginAsync(Stream stream, PreLoginMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        await TdsMessageWriter.WriteMessageAsync(stream, TdsPacketType.PreLogin, request.Encode(), cancellationToken).ConfigureAwait(false);
        var reader = new TdsMessageReader(stream, PreLoginMessage.MaxLength);
        var response = await reader.ReadMessageAsync(cancellationToken).ConfigureAwait(false)
            ?? throw TdsErrors.Closed("the server closed the connection instead of answering PRELOGIN");
        if (response.Type != TdsPacketType.TabularResult)
        {
            throw TdsErrors.Violation($"the answer to PRELOGIN came in a packet of type 0x{(byte)response.Type:X2}, not 0x04 (tabular result)");
        }

        return PreLoginMessage.Decode(response.Payload);
    }

    /// <summary>
    /// The stream a TDS 7.x TLS handshake runs on: what is written goes out in PRELOGIN packets, what is read is
    /// unwrapped from them. Call <see cref="TdsTlsFramingStream.FinishHandshake"/> when the handshake is done:
    /// from then on TLS records travel bare.
    /// </summary>
    public static TdsTlsFramingStream WrapForTls(Stream raw) => new(raw, TdsTlsFramingOptions.Client);
}
