using DbTls.Net;
using DbTls.Wire.Tds;

namespace DbTls.Transports;

/// <summary>What <see cref="PreTlsTransport.OpenAsync"/> may be told; every field has a driver-like default.</summary>
internal sealed record PreTlsOptions
{
    /// <summary>The TCP connect timeout; null leaves only the caller's cancellation.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>The PRELOGIN sent under TDS 7.x; null sends <see cref="TdsTransport.ClientPreLogin"/> with ENCRYPTION ON.</summary>
    public PreLoginMessage? PreLogin { get; init; }
}

/// <summary>
/// Opens a connection to the point where the TLS ClientHello goes, for each protocol dbtls knows, with exactly the
/// pre-TLS exchange the checks use (one SSLRequest, one PRELOGIN). A scanner writes its own ClientHello bytes to
/// <see cref="PreTlsChannel.TlsStream"/>; a check runs an SslStream on it.
/// </summary>
/// <example>
/// <code>
/// await using var channel = await PreTlsTransport.OpenAsync(PreTlsProtocol.TdsPreLogin, "sql.example.com", 1433, null, ct);
/// Console.WriteLine(channel.PreLoginAnswer?.Encryption);      // what the server said before TLS
/// await channel.TlsStream.WriteAsync(clientHello, ct);         // wrapped in a PRELOGIN packet on the wire
/// var read = await channel.TlsStream.ReadAsync(buffer, ct);    // the server's TLS records, unwrapped
/// </code>
/// </example>
internal static class PreTlsTransport
{
    /// <summary>Connects and runs the protocol's pre-TLS exchange. Failures are <see cref="Diagnostics.DbTlsException"/>s with finding codes.</summary>
    public static async Task<PreTlsChannel> OpenAsync(PreTlsProtocol protocol, string host, int port, PreTlsOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        options ??= new PreTlsOptions();
        var connection = await TcpConnector.ConnectAsync(host, port, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            switch (protocol)
            {
                case PreTlsProtocol.PostgresSslRequest:
                    var answer = await PostgresTransport.RequestSslAsync(connection, cancellationToken).ConfigureAwait(false);
                    return new PreTlsChannel(protocol, connection, connection.Stream, sslRequestAnswer: answer);
                case PreTlsProtocol.TdsPreLogin:
                    var request = options.PreLogin ?? TdsTransport.ClientPreLogin(PreLoginEncryption.On);
                    var preLogin = await TdsTransport.ExchangePreLoginAsync(connection.Stream, request, cancellationToken).ConfigureAwait(false);
                    return new PreTlsChannel(protocol, connection, TdsTransport.WrapForTls(connection.Stream), preLoginAnswer: preLogin);
                case PreTlsProtocol.PostgresDirect or PreTlsProtocol.TdsStrict or PreTlsProtocol.MongoImplicit:
                    return new PreTlsChannel(protocol, connection, connection.Stream);
                default:
                    throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not a protocol dbtls knows");
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
