using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>A TLS handshake that failed; <see cref="Facts"/> still holds the chain and every validation step seen.</summary>
internal sealed class TlsHandshakeException : DbTlsException
{
    private TlsReport? _report;

    public TlsHandshakeException(string code, string message, HandshakeFacts facts, string? remedy = null, Exception? inner = null)
        : base(code, message, remedy, inner)
    {
        Facts = facts;
    }

    public HandshakeFacts Facts { get; }

    /// <summary>The report's TLS section for the failed handshake, mapped once from <see cref="Facts"/>.</summary>
    public TlsReport Report => _report ??= HandshakeReport.Of(Facts);
}
