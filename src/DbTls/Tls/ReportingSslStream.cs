using System.Net.Security;

namespace DbTls.Tls;

/// <summary>
/// An SslStream that turns a client-certificate rejection arriving after the handshake into a
/// <see cref="TlsHandshakeException"/>. Under TLS 1.3 the client's handshake completes before the
/// server has looked at the client certificate, so a server that requires one (or rejects the one
/// sent) answers with an alert such as "certificate required" that only surfaces on the first read.
/// When the server has already closed (it judged the certificate the moment it arrived), our first write can fail
/// with a reset before any read; the alert is then still waiting in the receive buffer, so a failed asynchronous
/// write reads once to find it, as libpq does by reading after its write. Every other failure passes through unchanged.
/// </summary>
internal sealed class ReportingSslStream : SslStream
{
    private static readonly TimeSpan PendingAlertWait = TimeSpan.FromSeconds(2);

    public ReportingSslStream(Stream inner)
        : base(inner, leaveInnerStreamOpen: false)
    {
    }

    internal HandshakeFacts? Facts { get; set; }

    /// <summary>Whether a client certificate was configured to be sent on request.</summary>
    internal bool ClientCertificateOffered { get; set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return base.Read(buffer, offset, count);
        }
        catch (IOException ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return base.Read(buffer);
        }
        catch (IOException ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override int ReadByte()
    {
        try
        {
            return base.ReadByte();
        }
        catch (IOException ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await base.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (Facts is not null && !cancellationToken.IsCancellationRequested)
        {
            TlsHandshakeException? pending;
            try
            {
                // A reset socket answers at once with what it still holds; the timeout only bounds a peer that is
                // somehow still open after our write failed.
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(PendingAlertWait);
                await base.ReadAsync(new byte[1], bounded.Token).ConfigureAwait(false);
                pending = null;
            }
            catch (IOException readFailure)
            {
                pending = Translate(readFailure);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                pending = null;
            }

            throw pending ?? (Exception)ex;
        }
    }

    private TlsHandshakeException? Translate(IOException exception)
    {
        if (Facts is not { } facts)
        {
            return null;
        }

        var failure = HandshakeFailures.ClientCertificateFailure(HandshakeFailures.Reason(exception), TlsAlerts.TryReceivedFromOpenSsl(exception, out var alert) ? alert : null, facts.ClientCertificateRequested, facts.ClientCertificateSent, ClientCertificateOffered);
        return failure is null ? null : new TlsHandshakeException(failure.Code, failure.Message, facts, inner: exception);
    }
}
