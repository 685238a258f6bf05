using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>An established TLS connection and the report of how it was established.</summary>
internal sealed class TlsSession : IAsyncDisposable
{
    internal TlsSession(Stream stream, TlsReport report, X509Certificate2? serverCertificate)
        : this(stream, report, serverCertificate, [])
    {
    }

    internal TlsSession(Stream stream, TlsReport report, X509Certificate2? serverCertificate, IReadOnlyList<Finding> findings)
    {
        Stream = stream;
        Report = report;
        ServerCertificate = serverCertificate;
        Findings = findings;
    }

    /// <summary>
    /// The encrypted stream. A read that fails because the server rejected the client certificate
    /// after the handshake (TLS 1.3 "certificate required", "unknown ca", ...) throws
    /// <see cref="TlsHandshakeException"/> with <c>cert.client-certificate-rejected</c>.
    /// An SslStream, or the BouncyCastle stream when TLS 1.0/1.1 was enabled (see <c>Legacy/LegacyTls</c>).
    /// </summary>
    public Stream Stream { get; }

    public TlsReport Report { get; }

    public X509Certificate2? ServerCertificate { get; }

    /// <summary>Warnings about a handshake that succeeded: <c>cert.expiring-soon</c>, <c>tls.weak-protocol</c>.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
