using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>An established TLS connection and the report of how it was established.</summary>
internal sealed class TlsSession : IAsyncDisposable
{
    internal TlsSession(Stream stream, HandshakeFacts facts, X509Certificate2? serverCertificate)
        : this(stream, facts, serverCertificate, [])
    {
    }

    internal TlsSession(Stream stream, HandshakeFacts facts, X509Certificate2? serverCertificate, IReadOnlyList<Finding> findings)
    {
        Stream = stream;
        Facts = facts;
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

    /// <summary>What the handshake established, in the engine's types.</summary>
    public HandshakeFacts Facts { get; }

    /// <summary>The report's TLS section, mapped once from <see cref="Facts"/>.</summary>
    public TlsReport Report => field ??= HandshakeReport.Of(Facts);

    public X509Certificate2? ServerCertificate { get; }

    /// <summary>Warnings about a handshake that succeeded: <c>cert.expiring-soon</c>, <c>tls.weak-protocol</c>.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
