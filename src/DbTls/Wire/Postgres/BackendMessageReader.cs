using System.Buffers.Binary;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>Which limits apply to the next backend message.</summary>
internal enum ReadPhase
{
    /// <summary>Before AuthenticationOk: only 'R', 'E' and 'v' are legal, and they are small (libpq's rules).</summary>
    Authentication,

    /// <summary>After AuthenticationOk: any type; only the "long" types may exceed 30000 bytes.</summary>
    Session,
}

/// <summary>
/// Frames backend messages from a stream through a small buffer. It never trusts a length word:
/// lengths below 4 or above the phase's limit end the connection before any body is read, so a
/// claimed 2 GiB message allocates nothing. End of stream inside a message is reported as the server
/// closing the connection. Every read honours the cancellation token (the check's deadline).
/// </summary>
internal sealed class BackendMessageReader
{
    private const int HeaderLength = 5;

    private Stream _stream;
    private byte[] _buffer = new byte[8 * 1024];
    private int _start;
    private int _end;

    public BackendMessageReader(Stream stream) => _stream = stream;

    /// <summary>Bytes received but not consumed yet.</summary>
    public int BufferedCount => _end - _start;

    /// <summary>
    /// Moves reading to another stream (the TLS stream after the handshake). Refuses when bytes are
    /// still buffered: they arrived before encryption and must never be taken as coming from the server.
    /// </summary>
    public void SwitchTo(Stream stream)
    {
        if (BufferedCount != 0)
        {
            throw new InvalidOperationException("unencrypted bytes are still buffered; they must not be mixed with the TLS stream");
        }

        _stream = stream;
        _start = _end = 0;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes that are not a framed message.</summary>
    public async ValueTask<byte[]> ReadRawAsync(int count, string context, CancellationToken cancellationToken)
    {
        await FillAsync(count, context, cancellationToken).ConfigureAwait(false);
        var bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    public async ValueTask<BackendMessage> ReadMessageAsync(ReadPhase phase, CancellationToken cancellationToken)
    {
        var context = phase == ReadPhase.Authentication ? "during authentication" : "during the session";
        await FillAsync(HeaderLength, context, cancellationToken).ConfigureAwait(false);
        var type = _buffer[_start];
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 1, 4));
        if (length < 4)
        {
            throw Violation($"message {BackendMessageType.Describe(type)} has an invalid length of {length} bytes (the length word alone takes 4)");
        }

        var max = MaxLength(phase, type);
        if (length > max)
        {
            throw Violation($"message {BackendMessageType.Describe(type)} claims {length} bytes, more than the {max} allowed {context}");
        }

        var total = 1 + length;
        await FillAsync(total, context, cancellationToken).ConfigureAwait(false);
        var body = _buffer.AsSpan(_start + HeaderLength, length - 4).ToArray();
        _start += total;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return new BackendMessage(type, body);
    }

    private static int MaxLength(ReadPhase phase, byte type)
    {
        if (phase == ReadPhase.Authentication)
        {
            return type switch
            {
                BackendMessageType.Authentication => PostgresProtocol.MaxAuthenticationMessageLength,
                BackendMessageType.NegotiateProtocolVersion => PostgresProtocol.MaxAuthenticationMessageLength,
                BackendMessageType.ErrorResponse => PostgresProtocol.MaxStartupErrorLength,
                _ => throw Violation($"expected an authentication request from the server, but received message type {BackendMessageType.Describe(type)}"),
            };
        }

        return BackendMessageType.IsLong(type) ? PostgresProtocol.MaxLongMessageLength : PostgresProtocol.MaxOrdinaryMessageLength;
    }

    private async ValueTask FillAsync(int needed, string context, CancellationToken cancellationToken)
    {
        while (BufferedCount < needed)
        {
            if (_buffer.Length - _start < needed)
            {
                // Grow (or compact) so that the whole message fits; the caller has already capped `needed`.
                var target = _buffer.Length >= needed ? _buffer : new byte[Math.Max(needed, _buffer.Length * 2)];
                Buffer.BlockCopy(_buffer, _start, target, 0, BufferedCount);
                _end = BufferedCount;
                _start = 0;
                _buffer = target;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DbTlsException(FindingCodes.ServerClosed, $"the connection broke {context}: {ex.InnerException?.Message ?? ex.Message}", inner: ex);
            }

            if (read == 0)
            {
                var partial = BufferedCount > 0 ? $" in the middle of a message ({BufferedCount} of {needed} bytes received)" : "";
                throw new DbTlsException(FindingCodes.ServerClosed, $"the server closed the connection {context}{partial}");
            }

            _end += read;
        }
    }

    private static DbTlsException Violation(string message) => new(FindingCodes.ServerProtocolViolation, message);
}
