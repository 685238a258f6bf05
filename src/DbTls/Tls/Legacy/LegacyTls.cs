using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Policy;
using DbTls.Tls.ClientCertificates;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace DbTls.Tls.Legacy;

/// <summary>
/// TLS 1.0/1.1 for dialects that explicitly enable it (FreeTDS <c>enable tls v1</c>, JDBC
/// <c>sslProtocol=TLSv1</c>, libpq <c>ssl_min_protocol_version=TLSv1</c>).
/// <para>
/// Why BouncyCastle: on Debian 12 the platform OpenSSL is built with security level 2, which removes every
/// cipher suite usable below TLS 1.2. Measured with .NET 10: SslStream with SslProtocols.Tls or Tls11
/// fails before sending anything ("no ciphers available"); with all versions enabled a TLS-1.0-only
/// server answers "handshake failure". Lowering that (OPENSSL_CONF, the system openssl.cnf) would weaken
/// every connection of the process, so the legacy versions get their own engine, used only here.
/// </para>
/// <para>
/// Why always BouncyCastle once legacy is enabled, rather than SslStream first and BouncyCastle after a
/// protocol-version failure: the transport carries one handshake (a TDS connection cannot restart it), a
/// retry would need a second connection and is exactly the version-fallback dance that let attackers force
/// downgrades (RFC 7507); and one ClientHello offering the whole enabled range is what the drivers send, so
/// the version the server picks is reported as the server's own choice. A modern server still negotiates
/// TLS 1.2 or 1.3 here.
/// </para>
/// </summary>
internal static class LegacyTls
{
    /// <summary>Whether the policy enables a version below TLS 1.2.</summary>
    public static bool Applies(TlsPolicy policy) => policy.MinProtocol is { } min && min < TlsProtocolVersion.Tls12;

    public static async Task<TlsSession> AuthenticateAsync(
        Stream transport,
        TlsPolicy policy,
        TlsTarget target,
        string? sni,
        CertificateValidator validator,
        HandshakeFacts facts,
        LoadedClientCertificate? clientCertificate,
        CancellationToken cancellationToken)
    {
        var crypto = new BcTlsCrypto(new SecureRandom());
        var peer = new LegacyTlsPeer(crypto, policy, sni, validator, facts, clientCertificate);
        var protocol = new TlsClientProtocol();
        var stream = new LegacyTlsStream(protocol, transport);
        try
        {
            protocol.Connect(peer); // non-blocking mode: queues the ClientHello
            await stream.HandshakeAsync(() => peer.HandshakeComplete, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or TlsException)
        {
            RecordClientCertificate(peer, facts, completed: false);
            await stream.DisposeAsync().ConfigureAwait(false);
            throw HandshakeOutcome.Failed(validator, peer.ServerCertificate, facts, ex,
                () => LegacyTlsFailures.Classify(ex, policy, facts.ClientCertificateRequested, facts.ClientCertificateSent, peer.CertificateOffered));
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var parameters = peer.Context.SecurityParameters;
        var version = Version(parameters.NegotiatedVersion);
        facts.Protocol = ToSslProtocols(version);
        facts.CipherSuite = (System.Net.Security.TlsCipherSuite)parameters.CipherSuite;
        facts.Alpn = parameters.ApplicationProtocol?.GetUtf8Decoding();
        RecordClientCertificate(peer, facts, completed: true);
        stream.Facts = facts;
        stream.ClientCertificateOffered = peer.CertificateOffered;

        var serverCertificate = peer.ServerCertificate is null ? null : X509CertificateLoader.LoadCertificate(peer.ServerCertificate.RawData);
        return await HandshakeOutcome.EstablishedAsync(stream, transport, policy, target, sni, facts, validator, serverCertificate, ToSslProtocols(version), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The IANA name of a suite BouncyCastle negotiated (see <see cref="HandshakeReport.CipherSuiteName"/>).</summary>
    internal static string CipherSuiteName(int suite) => HandshakeReport.CipherSuiteName((System.Net.Security.TlsCipherSuite)suite);

    private static TlsProtocolVersion Version(ProtocolVersion version) =>
        version.IsEqualOrLaterVersionOf(ProtocolVersion.TLSv13) ? TlsProtocolVersion.Tls13
        : version.IsEqualOrLaterVersionOf(ProtocolVersion.TLSv12) ? TlsProtocolVersion.Tls12
        : version.IsEqualOrLaterVersionOf(ProtocolVersion.TLSv11) ? TlsProtocolVersion.Tls11
        : TlsProtocolVersion.Tls10;

#pragma warning disable SYSLIB0039 // naming the legacy versions is the point here
    private static SslProtocols ToSslProtocols(TlsProtocolVersion version) => version switch
    {
        TlsProtocolVersion.Tls10 => SslProtocols.Tls,
        TlsProtocolVersion.Tls11 => SslProtocols.Tls11,
        TlsProtocolVersion.Tls12 => SslProtocols.Tls12,
        _ => SslProtocols.Tls13,
    };
#pragma warning restore SYSLIB0039

    private static void RecordClientCertificate(LegacyTlsPeer peer, HandshakeFacts facts, bool completed)
    {
        facts.ClientCertificateSent = peer.CertificateSent;
        facts.ClientCertificateRequested = peer.CertificateRequested || completed ? peer.CertificateRequested : null;
    }
}
