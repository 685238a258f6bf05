using System.Security.Cryptography.X509Certificates;
using DbTls.Policy;
using DbTls.Tls.Legacy;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace DbTls.Tests.Servers.Tds;

/// <summary>
/// The server side of a TLS handshake limited to one legacy version (TLS 1.0 or 1.1), done with
/// BouncyCastle's TlsServerProtocol because the platform OpenSSL on Debian 12 cannot speak those versions
/// at all. Stands in for an old SQL Server (2008 R2 / 2012 before their TLS 1.2 updates) in
/// <see cref="TdsTestServer"/> when <see cref="TdsTestServerOptions.LegacyWrappedTls"/> is set.
/// </summary>
internal sealed class LegacyTlsServerPeer : DefaultTlsServer
{
    private readonly BcTlsCrypto _crypto;
    private readonly ProtocolVersion _version;
    private readonly Org.BouncyCastle.Crypto.AsymmetricKeyParameter _key;
    private readonly Certificate _chain;

    private LegacyTlsServerPeer(BcTlsCrypto crypto, TlsProtocolVersion version, X509Certificate2 certificate, X509Certificate2Collection intermediates)
        : base(crypto)
    {
        _crypto = crypto;
        _version = LegacyTlsPeer.Version(version);
        using var rsa = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("the legacy TLS test server needs an RSA certificate with its private key");
        _key = PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
        _chain = new Certificate([.. new[] { certificate }.Concat(intermediates).Select(c => crypto.CreateCertificate(c.RawData))]);
    }

    public bool HandshakeComplete { get; private set; }

    /// <summary>Performs the handshake on <paramref name="transport"/> and returns the application stream.</summary>
    public static async Task<Stream> AcceptAsync(Stream transport, TdsTestServerOptions options, TlsProtocolVersion version, TdsConnectionRecord record, CancellationToken ct)
    {
        var certificate = options.Certificate ?? throw new InvalidOperationException("the TDS test server needs a certificate for TLS");
        var peer = new LegacyTlsServerPeer(new BcTlsCrypto(new SecureRandom()), version, certificate, options.Intermediates);
        var protocol = new TlsServerProtocol();
        var stream = new LegacyTlsStream(protocol, transport);
        try
        {
            protocol.Accept(peer);
            await stream.HandshakeAsync(() => peer.HandshakeComplete, ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        var parameters = peer.m_context.SecurityParameters;
        record.TlsHandshakeCompleted = true;
        record.TlsProtocol = parameters.NegotiatedVersion.Equals(ProtocolVersion.TLSv10) ? "Tls" : parameters.NegotiatedVersion.Equals(ProtocolVersion.TLSv11) ? "Tls11" : parameters.NegotiatedVersion.ToString(); // as SslProtocols names them
        record.TlsCipherSuite = LegacyTls.CipherSuiteName(parameters.CipherSuite);
        record.Sni = parameters.ClientServerNames is { Count: > 0 } names ? System.Text.Encoding.ASCII.GetString(names[0].NameData) : null;
        return stream;
    }

    protected override ProtocolVersion[] GetSupportedVersions() => _version.Only();

    protected override TlsCredentialedSigner GetRsaSignerCredentials() =>
        new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), _crypto, _key, _chain, null);

    protected override TlsCredentialedDecryptor GetRsaEncryptionCredentials() =>
        new BcDefaultTlsCredentialedDecryptor(_crypto, _chain, _key);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        HandshakeComplete = true;
    }
}
