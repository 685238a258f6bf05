using System.Net.Sockets;
using DbTls.Wire.Postgres;
using DbTls.Wire.Tds;

namespace DbTls.Scan;

/// <summary>
/// The one adapter between the scan and the database protocols: how to get to the point where a ClientHello goes
/// (SSLRequest, PRELOGIN, nothing) and the pre-TLS facts a scan reports. It uses the existing wire code
/// (FrontendMessages.SslRequest, the PreLoginMessage codec, TdsTlsFramingStream) and writes no second copy of it,
/// so a merge can repoint it at src/DbTls/Transports/ in one place.
/// </summary>
internal static class ScanEntry
{
    /// <summary>The ALPN list a probe must offer on this path (strict TDS and direct PostgreSQL require theirs).</summary>
    public static IReadOnlyList<string> Alpn(ScanProtocol protocol) => protocol switch
    {
        ScanProtocol.PostgresDirect => [PostgresProtocol.Alpn],
        ScanProtocol.TdsStrict => [TdsAlpn],
        _ => [],
    };

    /// <summary>The ALPN identifier of TDS 8.0 (MS-TDS 2.2.2.1).</summary>
    public const string TdsAlpn = "tds/8.0";

    /// <summary>Connects and performs the protocol's steps before TLS; the returned stream takes the ClientHello.</summary>
    public static async Task<ProbeChannel> OpenAsync(ScanTarget target, ScanProtocol protocol, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        var network = new NetworkStream(socket, ownsSocket: true);
        try
        {
            switch (protocol)
            {
                case ScanProtocol.Postgres:
                    var answer = await SslRequestAsync(network, cancellationToken).ConfigureAwait(false);
                    if (answer != 'S')
                    {
                        throw new ScanEntryException(answer is { } a
                            ? $"the server answered the SSLRequest with {Describe(a)}, not 'S'"
                            : "the server closed the connection instead of answering the SSLRequest");
                    }

                    return new ProbeChannel(network, network);
                case ScanProtocol.Tds:
                    var prelogin = await PreLoginAsync(network, PreLoginEncryption.On, cancellationToken).ConfigureAwait(false);
                    if (prelogin?.Encryption is not (PreLoginEncryption.On or PreLoginEncryption.Required or PreLoginEncryption.Off))
                    {
                        throw new ScanEntryException(prelogin is null
                            ? "the server did not answer PRELOGIN with a valid PRELOGIN message"
                            : $"the server answered PRELOGIN with ENCRYPTION {EncryptionName(prelogin.Encryption)}: it offers no TLS on the TDS 7.x path");
                    }

                    return new ProbeChannel(network, new TdsTlsFramingStream(network, TdsTlsFramingOptions.Client));
                default:
                    return new ProbeChannel(network, network);
            }
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The one-byte answer to an SSLRequest on a fresh connection, or null when the server sent nothing.</summary>
    public static async Task<byte?> PostgresSslAnswerAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        await using var network = new NetworkStream(await ConnectAsync(target, cancellationToken).ConfigureAwait(false), ownsSocket: true);
        return await SslRequestAsync(network, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The first message type a PostgreSQL server sends to a startup packet without SSLRequest: 'R' (it asks for
    /// authentication, so plaintext sessions are allowed) or 'E' (refused). The startup names a user and database
    /// that carry no secret; no password is ever sent, and the connection is closed after the first byte.
    /// </summary>
    public static async Task<byte?> PostgresPlaintextStartupAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        await using var network = new NetworkStream(await ConnectAsync(target, cancellationToken).ConfigureAwait(false), ownsSocket: true);
        var startup = FrontendMessages.Startup([new("user", "dbtls_scan"), new("database", "postgres"), new("application_name", "dbtls scan")]);
        await network.WriteAsync(startup, cancellationToken).ConfigureAwait(false);
        return await ReadByteAsync(network, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The server's PRELOGIN answer to a client asking for <paramref name="encryption"/>, or null when it gave none.</summary>
    public static async Task<PreLoginMessage?> TdsPreLoginAsync(ScanTarget target, PreLoginEncryption encryption, CancellationToken cancellationToken)
    {
        await using var network = new NetworkStream(await ConnectAsync(target, cancellationToken).ConfigureAwait(false), ownsSocket: true);
        return await PreLoginAsync(network, encryption, cancellationToken).ConfigureAwait(false);
    }

    public static string EncryptionName(PreLoginEncryption? value) => value switch
    {
        null => "absent",
        PreLoginEncryption.Off => "OFF",
        PreLoginEncryption.On => "ON",
        PreLoginEncryption.NotSupported => "NOT_SUP",
        PreLoginEncryption.Required => "REQ",
        _ => $"0x{(byte)value.Value:X2}",
    };

    public static string Describe(byte answer) => answer is >= 0x21 and <= 0x7E ? $"'{(char)answer}'" : $"byte 0x{answer:X2}";

    private static async Task<Socket> ConnectAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.EndPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ScanEntryException($"could not connect to {target.Display}: {ex.SocketErrorCode}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<byte?> SslRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(FrontendMessages.SslRequest(), cancellationToken).ConfigureAwait(false);
        return await ReadByteAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte?> ReadByteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        try
        {
            return await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 1 ? one[0] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<PreLoginMessage?> PreLoginAsync(Stream stream, PreLoginEncryption encryption, CancellationToken cancellationToken)
    {
        var request = new PreLoginMessage
        {
            Version = new PreLoginVersion(1, 0, 0, 0),
            Encryption = encryption,
            Instance = PreLoginMessage.ClientInstance(""),
            ThreadId = 0,
            Mars = 0,
        };
        try
        {
            await TdsMessageWriter.WriteMessageAsync(stream, TdsPacketType.PreLogin, request.Encode(), cancellationToken).ConfigureAwait(false);
            var response = await new TdsMessageReader(stream, PreLoginMessage.MaxLength).ReadMessageAsync(cancellationToken).ConfigureAwait(false);
            return response is { Type: TdsPacketType.TabularResult } ? PreLoginMessage.Decode(response.Payload) : null;
        }
        catch (Exception ex) when (ex is IOException or DbTls.Diagnostics.DbTlsException)
        {
            return null;
        }
    }
}

/// <summary>One probe connection: the socket's stream (owned) and the stream the TLS records go through.</summary>
internal sealed class ProbeChannel(NetworkStream network, Stream tls) : IAsyncDisposable
{
    public Stream Tls { get; } = tls;

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(Tls, network))
        {
            await Tls.DisposeAsync().ConfigureAwait(false);
        }

        await network.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The way in failed before TLS (connect refused, SSLRequest answered 'N', no TLS in PRELOGIN).</summary>
internal sealed class ScanEntryException(string message) : Exception(message);
