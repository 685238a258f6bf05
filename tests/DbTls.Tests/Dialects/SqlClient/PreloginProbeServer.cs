using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Infrastructure.Streams;

namespace DbTls.Tests.Dialects;

/// <summary>
/// A minimal SQL Server stand-in for checking what real drivers do: it reads the client's PRELOGIN,
/// answers with a chosen ENCRYPTION value and watches the client's next step. For TLS it runs the server
/// side of the handshake (inside TDS packets for TDS 7.x, on the first byte for TDS 8.0 strict) with a
/// certificate no client trusts, so a completed handshake means the client did not validate.
/// Only the first connection is observed; later ones are closed.
/// </summary>
public sealed class PreloginProbeServer : IAsyncDisposable
{
    private const byte PreloginType = 0x12;
    private const byte Login7Type = 0x10;
    private const byte TlsHandshakeRecord = 0x16;

    private readonly X509Certificate2 _certificate;
    private readonly byte _answer;
    private readonly bool _strict;
    private readonly TaskCompletionSource<ProbeResult> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LoopbackListener _listener;
    private int _accepted;
    private int _disposed;

    public PreloginProbeServer(X509Certificate2 certificate, byte answer, bool strict = false)
    {
        _certificate = certificate;
        _answer = answer;
        _strict = strict;
        _listener = new LoopbackListener(ServeAsync);
    }

    public int Port => _listener.Port;

    /// <summary>The result of the first connection, or a timeout.</summary>
    public async Task<ProbeResult> ResultAsync(TimeSpan timeout) => await _first.Task.WaitAsync(timeout).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        _first.TrySetCanceled();
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        if (Interlocked.Increment(ref _accepted) > 1)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var stream = client.GetStream();
            _first.TrySetResult(_strict
                ? await ServeStrictAsync(stream, timeout.Token).ConfigureAwait(false)
                : await ServePreloginAsync(stream, timeout.Token).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            _first.TrySetException(e);
        }
    }

    private async Task<ProbeResult> ServePreloginAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var prelogin = await ReadPacketAsync(stream, cancellationToken).ConfigureAwait(false);
        if (prelogin is null || prelogin.Value.Type != PreloginType)
        {
            return new ProbeResult(null, ProbeOutcome.Closed, null, null);
        }

        var clientEncryption = EncryptionOption(prelogin.Value.Payload);
        await stream.WriteAsync(Packet(0x04, PreloginResponse(_answer)), cancellationToken).ConfigureAwait(false);

        var header = new byte[8];
        if (!await TryReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            return new ProbeResult(clientEncryption, ProbeOutcome.Closed, null, null);
        }

        if (header[0] == Login7Type)
        {
            return new ProbeResult(clientEncryption, ProbeOutcome.PlaintextLogin, null, null);
        }

        if (header[0] != PreloginType)
        {
            throw new InvalidDataException($"unexpected TDS packet type 0x{header[0]:X2} after PRELOGIN");
        }

        // TDS 7.x: the TLS handshake travels inside PRELOGIN packets, the records after it travel bare.
        var wrapped = new TdsPacketStream(stream, header);
        var sni = default(string);
        SslStream ssl;
        try
        {
            ssl = await ServerTls.AcceptAsync(wrapped, Options(SslProtocols.Tls12, alpn: false, name => sni = name), leaveInnerStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return new ProbeResult(clientEncryption, ProbeOutcome.TlsRejected, sni, null);
        }

        await using var _ = ssl.ConfigureAwait(false);

        wrapped.Unwrap();
        var login = await TryReadPacketAsync(ssl, cancellationToken).ConfigureAwait(false);
        return new ProbeResult(clientEncryption, login is { Type: Login7Type } ? ProbeOutcome.TlsAccepted : ProbeOutcome.TlsRejected, sni, null);
    }

    private async Task<ProbeResult> ServeStrictAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var first = new byte[1];
        if (!await TryReadExactlyAsync(stream, first, cancellationToken).ConfigureAwait(false))
        {
            return new ProbeResult(null, ProbeOutcome.Closed, null, null);
        }

        if (first[0] != TlsHandshakeRecord)
        {
            // Not TLS first: the client spoke PRELOGIN in plaintext.
            return new ProbeResult(null, first[0] == PreloginType ? ProbeOutcome.PlaintextLogin : ProbeOutcome.Closed, null, null);
        }

        var replay = new PrefixedStream(stream, first);
        var sni = default(string);
        SslStream ssl;
        try
        {
            ssl = await ServerTls.AcceptAsync(replay, Options(SslProtocols.Tls12 | SslProtocols.Tls13, alpn: true, name => sni = name), leaveInnerStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return new ProbeResult(null, ProbeOutcome.TlsRejected, sni, null);
        }

        await using var _ = ssl.ConfigureAwait(false);

        // TDS 8.0: PRELOGIN follows inside TLS; its ENCRYPTION byte is what the client sends there.
        var alpn = ssl.NegotiatedApplicationProtocol == default ? null : ssl.NegotiatedApplicationProtocol.ToString();
        var prelogin = await TryReadPacketAsync(ssl, cancellationToken).ConfigureAwait(false);
        return prelogin is { Type: PreloginType } packet
            ? new ProbeResult(EncryptionOption(packet.Payload), ProbeOutcome.TlsAccepted, sni, alpn)
            : new ProbeResult(null, ProbeOutcome.TlsRejected, sni, alpn);
    }

    /// <summary>The next packet, or null when the client closes or aborts TLS instead.</summary>
    private static async Task<(byte Type, byte[] Payload)?> TryReadPacketAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadPacketAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or InvalidDataException)
        {
            return null;
        }
    }

    private SslServerAuthenticationOptions Options(SslProtocols protocols, bool alpn, Action<string?> sni) => new()
    {
        EnabledSslProtocols = protocols,
        ApplicationProtocols = alpn ? [new SslApplicationProtocol("tds/8.0")] : null,
        ClientCertificateRequired = false,
        ServerCertificateSelectionCallback = (_, name) =>
        {
            sni(string.IsNullOrEmpty(name) ? null : name);
            return _certificate;
        },
    };

    private static byte? EncryptionOption(byte[] payload)
    {
        for (var i = 0; i + 5 <= payload.Length && payload[i] != 0xFF; i += 5)
        {
            var offset = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i + 1));
            var length = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i + 3));
            if (payload[i] == 0x01 && length >= 1 && offset < payload.Length)
            {
                return payload[offset];
            }
        }

        return null;
    }

    /// <summary>VERSION, ENCRYPTION, INSTOPT, THREADID and MARS: what SqlClient and FreeTDS read.</summary>
    private static byte[] PreloginResponse(byte encryption)
    {
        byte[] version = [0x10, 0x00, 0x03, 0xE8, 0x00, 0x00];
        var options = new (byte Token, byte[] Data)[] { (0, version), (1, [encryption]), (2, [0]), (3, []), (4, [0]) };
        var headerLength = options.Length * 5 + 1;
        var payload = new byte[headerLength + options.Sum(o => o.Data.Length)];
        var offset = headerLength;
        for (var i = 0; i < options.Length; i++)
        {
            payload[i * 5] = options[i].Token;
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i * 5 + 1), (ushort)offset);
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i * 5 + 3), (ushort)options[i].Data.Length);
            options[i].Data.CopyTo(payload, offset);
            offset += options[i].Data.Length;
        }

        payload[headerLength - 1] = 0xFF;
        return payload;
    }

    internal static byte[] Packet(byte type, ReadOnlySpan<byte> payload, byte packetId = 1)
    {
        var packet = new byte[8 + payload.Length];
        packet[0] = type;
        packet[1] = 0x01; // end of message
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = packetId;
        payload.CopyTo(packet.AsSpan(8));
        return packet;
    }

    private static async Task<(byte Type, byte[] Payload)?> ReadPacketAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        if (!await TryReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        if (length < 8)
        {
            throw new InvalidDataException($"TDS packet length {length} is shorter than its header");
        }

        var payload = new byte[length - 8];
        return await TryReadExactlyAsync(stream, payload, cancellationToken).ConfigureAwait(false) ? (header[0], payload) : null;
    }

    internal static async Task<bool> TryReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return false;
        }
    }

    /// <summary>TLS records inside TDS PRELOGIN packets, as TDS 7.x carries the handshake (server side).</summary>
    private sealed class TdsPacketStream(Stream inner, byte[] firstHeader) : Stream
    {
        private byte[]? _pendingHeader = firstHeader;
        private byte[] _payload = [];
        private int _offset;
        private byte _packetId = 1;
        private bool _bare;

        /// <summary>After the handshake TDS 7.x sends TLS records bare on the socket.</summary>
        public void Unwrap() => _bare = true;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_bare && _offset == _payload.Length)
            {
                return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }

            while (_offset == _payload.Length)
            {
                var header = _pendingHeader ?? new byte[8];
                if (_pendingHeader is null && !await TryReadExactlyAsync(inner, header, cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }

                _pendingHeader = null;
                var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                if (length < 8)
                {
                    throw new InvalidDataException("TDS packet shorter than its header");
                }

                _payload = new byte[length - 8];
                _offset = 0;
                if (!await TryReadExactlyAsync(inner, _payload, cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _payload.Length - _offset);
            _payload.AsMemory(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_bare)
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                return;
            }

            for (var start = 0; start < buffer.Length; start += 4088)
            {
                var chunk = buffer.Slice(start, Math.Min(4088, buffer.Length - start));
                await inner.WriteAsync(Packet(PreloginType, chunk.Span, _packetId++), cancellationToken).ConfigureAwait(false);
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
