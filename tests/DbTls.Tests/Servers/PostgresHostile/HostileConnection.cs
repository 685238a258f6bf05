using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Servers.PostgresHostile;

/// <summary>A frontend message as the hostile server received it.</summary>
public readonly record struct FrontendMessage(byte Type, byte[] Body);

/// <summary>One accepted client connection of the <see cref="HostilePostgresServer"/>.</summary>
public sealed class HostileConnection : IDisposable
{
    private readonly LoopbackConnection _connection;
    private Stream _stream;

    internal HostileConnection(LoopbackConnection connection)
    {
        _connection = connection;
        _stream = connection.Wire;
    }

    /// <summary>0 for the first connection the client made, 1 for its retry, …</summary>
    public int Index => _connection.Index;

    /// <summary>Every byte the client sent on the wire so far (TLS records stay encrypted here).</summary>
    public byte[] Received => _connection.Received.ToArray();

    public SslStream? Tls { get; private set; }

    public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    /// <summary>A length-prefixed packet without a type byte (SSLRequest, StartupMessage).</summary>
    public async Task<byte[]> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var lengthBytes = await ReadExactlyAsync(4, cancellationToken);
        var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
        if (length is < 8 or > 10_000)
        {
            throw new InvalidDataException($"client packet length {length}");
        }

        var rest = await ReadExactlyAsync(length - 4, cancellationToken);
        return [.. lengthBytes, .. rest];
    }

    /// <summary>Reads a packet and insists that it is an SSLRequest.</summary>
    public async Task ExpectSslRequestAsync(CancellationToken cancellationToken)
    {
        var packet = await ReadPacketAsync(cancellationToken);
        if (!packet.AsSpan().SequenceEqual(BackendWriter.SslRequestBytes))
        {
            throw new InvalidDataException("expected an SSLRequest, got " + Convert.ToHexString(packet));
        }
    }

    /// <summary>Reads a StartupMessage (protocol 3.0) and returns its parameters.</summary>
    public async Task<Dictionary<string, string>> ReadStartupAsync(CancellationToken cancellationToken)
    {
        var packet = await ReadPacketAsync(cancellationToken);
        var version = BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(4));
        if (version != 196608)
        {
            throw new InvalidDataException($"expected a protocol 3.0 StartupMessage, got code {version}");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = Encoding.UTF8.GetString(packet, 8, packet.Length - 8).Split('\0');
        for (var i = 0; i + 1 < parts.Length && parts[i].Length > 0; i += 2)
        {
            parameters[parts[i]] = parts[i + 1];
        }

        return parameters;
    }

    /// <summary>A typed frontend message ('p', 'Q', 'X', …).</summary>
    public async Task<FrontendMessage> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var header = await ReadExactlyAsync(5, cancellationToken);
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        if (length is < 4 or > 100_000)
        {
            throw new InvalidDataException($"client message length {length}");
        }

        var body = await ReadExactlyAsync(length - 4, cancellationToken);
        return new FrontendMessage(header[0], body);
    }

    /// <summary>Writes all parts in one write call, so they usually arrive in one TCP segment.</summary>
    public async Task WriteAsync(params byte[][] parts)
    {
        var all = parts.SelectMany(p => p).ToArray();
        await _stream.WriteAsync(all);
        await _stream.FlushAsync();
    }

    /// <summary>Runs the server side of a TLS handshake (after 'S', or on the first byte for direct TLS).</summary>
    public async Task StartTlsAsync(X509Certificate2 certificate, string? alpn, CancellationToken cancellationToken)
    {
        var options = ServerTls.Options(certificate, [], SslProtocols.Tls12 | SslProtocols.Tls13, alpn is null ? [] : [alpn]);
        Tls = await ServerTls.AcceptAsync(_connection.Wire, options, leaveInnerStreamOpen: true, cancellationToken);
        _stream = Tls;
    }

    /// <summary>Reads and records until the client closes the connection.</summary>
    public async Task DrainUntilClosedAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (await _stream.ReadAsync(buffer, cancellationToken) > 0)
        {
        }
    }

    /// <summary>Resets the connection (RST instead of FIN).</summary>
    public void Abort() => _connection.Reset();

    public void Close() => _connection.Close();

    public void Dispose()
    {
        Tls?.Dispose();
        _connection.Client.Dispose();
    }
}
