using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>A TLS handshake that failed; <see cref="Report"/> still holds the chain and every validation step seen.</summary>
internal sealed class TlsHandshakeException : DbTlsException
{
    public TlsHandshakeException(string code, string message, TlsReport report, string? remedy = null, Exception? inner = null)
        : base(code, message, remedy, inner)
    {
        Report = report;
    }

    public TlsReport Report { get; }
}
