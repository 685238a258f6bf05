using Org.BouncyCastle.Tls;

namespace DbTls.Tls.Legacy;

/// <summary>
/// The application-data stream of a BouncyCastle TLS connection (client, or server in the tests' TDS
/// server). The protocol object runs in BouncyCastle's non-blocking mode (bytes are offered to it and
/// collected from it), so all transport I/O here is ours: asynchronous and cancellable, and over any
/// transport stream, including one that wraps TLS records in TDS packets.
/// <para>
/// Like SslStream, one read and one write may be in flight at the same time: the protocol object is not
/// thread-safe, so every call into it, and the sending of what it queued, happens under one gate; only the
/// wait for incoming bytes is outside it.
/// </para>
/// </summary>
internal sealed class LegacyTlsStream : Stream
{
    private const int TransportBufferSize = 16 * 1024 + 2048; // one TLS record plus header and expansion

    private readonly TlsProtocol _protocol;
    private readonly Stream _transport;
    private readonly byte[] _incoming = new byte[TransportBufferSize];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    public LegacyTlsStream(TlsProtocol protocol, Stream transport)
    {
        _protocol = protocol;
        _transport = transport;
    }

    /// <summary>Set once the handshake completed: turns a late client-certificate rejection into a handshake finding.</summary>
    internal HandshakeFacts? Facts { get; set; }

    internal bool ClientCertificateOffered { get; set; }

    public override bool CanRead => !_disposed;

    public override bool CanWrite => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Drives the handshake the protocol object has begun (Connect or Accept, in non-blocking mode) until
    /// <paramref name="complete"/> says it finished; each flight the peer sends is answered as it arrives.
    /// </summary>
    internal async Task HandshakeAsync(Func<bool> complete, CancellationToken cancellationToken)
    {
        await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        while (!complete())
        {
            if (!await PumpAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new EndOfStreamException("the peer closed the connection");
            }
        }
    }

    /// <summary>Sends whatever BouncyCastle queued (handshake messages, records, alerts).</summary>
    private async ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        var pending = _protocol.GetAvailableOutputBytes();
        if (pending == 0)
        {
            return;
        }

        var buffer = new byte[pending];
        var read = _protocol.ReadOutput(buffer, 0, pending);
        await _transport.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one chunk from the transport and feeds it to the protocol; false at end of stream.
    /// Whatever the protocol answers (the next handshake flight, an alert) is sent before returning.
    /// </summary>
    private async ValueTask<bool> PumpAsync(CancellationToken cancellationToken)
    {
        var read = await _transport.ReadAsync(_incoming, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _protocol.OfferInput(_incoming, 0, read);
        }
        finally
        {
            // A locally raised fatal alert is queued as output: the peer should see it, as OpenSSL peers do.
            await FlushOutputQuietlyAsync(cancellationToken).ConfigureAwait(false);
            _gate.Release();
        }

        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            while (true)
            {
                var (read, closed) = await TakeInputAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read > 0 || closed)
                {
                    return read;
                }

                if (!await PumpAsync(cancellationToken).ConfigureAwait(false))
                {
                    // The transport ended without close_notify: report end of stream, as SslStream does.
                    return 0;
                }
            }
        }
        catch (TlsException ex)
        {
            throw Translate(ex);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _protocol.WriteApplicationData(buffer.ToArray(), 0, buffer.Length);
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TlsException ex)
        {
            throw Translate(ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Decrypted bytes the protocol already holds, copied into <paramref name="buffer"/>; whether the peer closed.</summary>
    private async ValueTask<(int Read, bool Closed)> TakeInputAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var available = _protocol.GetAvailableInputBytes();
            if (available == 0)
            {
                return (0, _protocol.IsClosed);
            }

            var chunk = new byte[Math.Min(available, buffer.Length)];
            var read = _protocol.ReadInput(chunk, 0, chunk.Length);
            chunk.AsSpan(0, read).CopyTo(buffer.Span);
            return (read, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _transport.FlushAsync(cancellationToken);

    // Stream's synchronous members: every caller in dbtls is asynchronous; these exist for the Stream contract
    // and block on the same asynchronous path rather than keeping a second copy of the record pump.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() => _transport.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            CloseProtocol();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await FlushOutputQuietlyAsync(timeout.Token).ConfigureAwait(false);
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            CloseProtocol();
            _transport.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CloseProtocol()
    {
        try
        {
            _protocol.Close(); // queues close_notify
        }
        catch (IOException)
        {
            // Already failed or closed: nothing left to say to the peer.
        }
    }

    private async ValueTask FlushOutputQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone; the failure that matters is the one being reported.
        }
    }

    private Exception Translate(TlsException exception)
    {
        var reason = LegacyTlsFailures.Reason(exception);
        if (Facts is { } facts
            && exception is TlsFatalAlertReceived received
            && HandshakeFailures.ClientCertificateFailure(reason, received.AlertDescription, facts.ClientCertificateRequested, facts.ClientCertificateSent, ClientCertificateOffered) is { } failure)
        {
            return new TlsHandshakeException(failure.Code, failure.Message, facts, inner: exception);
        }

        return new IOException(reason, exception);
    }
}
