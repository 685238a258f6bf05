using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>An established TLS connection and the report of how it was established.</summary>
public sealed class TlsSession : IAsyncDisposable
{
    internal TlsSession(SslStream stream, TlsReport report, X509Certificate2? serverCertificate)
    {
        Stream = stream;
        Report = report;
        ServerCertificate = serverCertificate;
    }

    public SslStream Stream { get; }

    public TlsReport Report { get; }

    public X509Certificate2? ServerCertificate { get; }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
