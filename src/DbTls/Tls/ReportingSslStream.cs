using System.Net.Security;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>
/// An SslStream that turns a client-certificate rejection arriving after the handshake into a
/// <see cref="TlsHandshakeException"/>. Under TLS 1.3 the client's handshake completes before the
/// server has looked at the client certificate, so a server that requires one (or rejects the one
/// sent) answers with an alert such as "certificate required" that only surfaces on the first read.
/// Every other failure passes through unchanged.
/// </summary>
internal sealed class ReportingSslStream : SslStream
{
    public ReportingSslStream(Stream inner)
        : base(inner, leaveInnerStreamOpen: false)
    {
    }

    internal TlsReport? Report { get; set; }

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

    private TlsHandshakeException? Translate(IOException exception)
    {
        if (Report is not { } report)
        {
            return null;
        }

        var failure = HandshakeFailures.ClientCertificateFailure(HandshakeFailures.Reason(exception), report.ClientCertificateRequested, report.ClientCertificateSent);
        return failure is null ? null : new TlsHandshakeException(failure.Code, failure.Message, report, inner: exception);
    }
}
