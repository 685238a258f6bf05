using DbTls.Diagnostics;
using DbTls.Net;
using DbTls.Transports;
using DbTls.Wire.Postgres;
using DbTls.Wire.Tds;

namespace DbTls.Scan;

/// <summary>
/// The one adapter between the scan and the database protocols: how to get to the point where a ClientHello goes
/// and the pre-TLS answers a scan reports. Every pre-TLS exchange is the check's own, from src/DbTls/Transports
/// (<see cref="PreTlsTransport"/>, <see cref="PostgresTransport"/>, <see cref="TdsTransport"/>); nothing here
/// writes an SSLRequest or a PRELOGIN of its own.
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
    public const string TdsAlpn = TdsVersions.Tds8Alpn;

    /// <summary>Connects and performs the protocol's steps before TLS; the returned stream takes the ClientHello.</summary>
    /// <exception cref="ScanEntryException">The connection or the pre-TLS exchange failed, or the server said no TLS follows.</exception>
    public static async Task<ProbeChannel> OpenAsync(ScanTarget target, ScanProtocol protocol, CancellationToken cancellationToken)
    {
        var channel = await OpenChannelAsync(target, PathOf(protocol), null, cancellationToken).ConfigureAwait(false);
        try
        {
            if (channel.SslRequestAnswer is { MayStartTls: false } answer)
            {
                throw new ScanEntryException(answer.Failure?.Message ?? $"the server answered the SSLRequest with '{answer.Display}', not 'S'");
            }

            // Under TDS 7.x TLS follows a PRELOGIN answer of ON, REQ or OFF (OFF: the login is encrypted);
            // NOT_SUP or no ENCRYPTION option means the server has no TLS on this path.
            if (channel.PreLoginAnswer is { Encryption: not (PreLoginEncryption.On or PreLoginEncryption.Required or PreLoginEncryption.Off) } preLogin)
            {
                throw new ScanEntryException($"the server answered PRELOGIN with ENCRYPTION {EncryptionName(preLogin.Encryption)}: it offers no TLS on the TDS 7.x path");
            }

            return new ProbeChannel(channel);
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The answer to an SSLRequest on a fresh connection.</summary>
    /// <exception cref="ScanEntryException">No connection, or the server closed instead of answering.</exception>
    public static async Task<SslRequestAnswer> PostgresSslAnswerAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        await using var channel = await OpenChannelAsync(target, PreTlsProtocol.PostgresSslRequest, null, cancellationToken).ConfigureAwait(false);
        return channel.SslRequestAnswer!;
    }

    /// <summary>The server's PRELOGIN answer to a client sending <paramref name="request"/> on a fresh connection.</summary>
    /// <exception cref="ScanEntryException">No connection, or no well-formed PRELOGIN answer.</exception>
    public static async Task<PreLoginMessage> TdsPreLoginAsync(ScanTarget target, PreLoginMessage request, CancellationToken cancellationToken)
    {
        await using var channel = await OpenChannelAsync(target, PreTlsProtocol.TdsPreLogin, new PreTlsOptions { PreLogin = request }, cancellationToken).ConfigureAwait(false);
        return channel.PreLoginAnswer!;
    }

    /// <summary>
    /// The first message type a PostgreSQL server sends to a startup packet without SSLRequest: 'R' (it asks for
    /// authentication, so plaintext sessions are allowed) or 'E' (refused). The startup names a user and database
    /// that carry no secret; no password is ever sent, and the connection is closed after the first byte.
    /// </summary>
    public static async Task<byte?> PostgresPlaintextStartupAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        var startup = FrontendMessages.Startup([new("user", "dbtls_scan"), new("database", "postgres"), new("application_name", "dbtls scan")]);
        var one = new byte[1];
        try
        {
            await connection.Stream.WriteAsync(startup, cancellationToken).ConfigureAwait(false);
            return await connection.Stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 1 ? one[0] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A bare TCP connection for the plaintext questions (a startup without SSLRequest, a MongoDB hello without TLS).</summary>
    /// <exception cref="ScanEntryException">No connection.</exception>
    public static async Task<NetConnection> ConnectAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return await TcpConnector.ConnectAsync([target.EndPoint], connectTimeout: null, cancellationToken).ConfigureAwait(false);
        }
        catch (DbTlsException ex)
        {
            throw new ScanEntryException(ex.Message, ex.Code);
        }
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

    /// <summary>The transport path of a scan protocol; plain TLS and MongoDB both start with the ClientHello.</summary>
    private static PreTlsProtocol PathOf(ScanProtocol protocol) => protocol switch
    {
        ScanProtocol.Postgres => PreTlsProtocol.PostgresSslRequest,
        ScanProtocol.PostgresDirect => PreTlsProtocol.PostgresDirect,
        ScanProtocol.Tds => PreTlsProtocol.TdsPreLogin,
        ScanProtocol.TdsStrict => PreTlsProtocol.TdsStrict,
        // Generic TLS has no pre-TLS step either: MongoDB's implicit TLS is exactly "ClientHello first, no ALPN".
        _ => PreTlsProtocol.MongoImplicit,
    };

    private static async Task<PreTlsChannel> OpenChannelAsync(ScanTarget target, PreTlsProtocol path, PreTlsOptions? options, CancellationToken cancellationToken)
    {
        try
        {
            // The address is already resolved: the transport connects to the literal without asking DNS again.
            return await PreTlsTransport.OpenAsync(path, target.EndPoint.Address.ToString(), target.Port, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DbTlsException ex)
        {
            // server.closed, server.protocol_violation, net.unreachable ...: the way in failed, which the scan reports.
            throw new ScanEntryException(ex.Message, ex.Code);
        }
    }
}

/// <summary>One probe connection through the check's transport: the stream the TLS records go through.</summary>
internal sealed class ProbeChannel(PreTlsChannel channel) : IAsyncDisposable
{
    public Stream Tls => channel.TlsStream;

    /// <summary>The SSLRequest answer that opened this channel (PostgreSQL's SSLRequest path only).</summary>
    public SslRequestAnswer? SslRequestAnswer => channel.SslRequestAnswer;

    public ValueTask DisposeAsync() => channel.DisposeAsync();
}

/// <summary>The way in failed before TLS (connect refused, SSLRequest answered 'N', no TLS in PRELOGIN).</summary>
internal sealed class ScanEntryException(string message, string? code = null) : Exception(message)
{
    /// <summary>The transport's finding code when it gave one (<c>net.unreachable</c>, <c>server.closed</c>, ...).</summary>
    public string? Code { get; } = code;
}
