using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.ClientCertificates;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using CertificateRequest = Org.BouncyCastle.Tls.CertificateRequest;

namespace DbTls.Tls.Legacy;

/// <summary>
/// The BouncyCastle client side of a legacy-enabled handshake: offers exactly the policy's version range
/// (TLS 1.0 up to its maximum) in one ClientHello, SNI and ALPN as the policy says, and hands the
/// server's chain to dbtls' own <see cref="CertificateValidator"/>, so the legacy path verifies exactly
/// what the SslStream path verifies. A failed validation aborts the handshake with a fatal alert before
/// any application byte is sent.
/// </summary>
internal sealed class LegacyTlsPeer : DefaultTlsClient
{
    private readonly TlsPolicy _policy;
    private readonly string? _sni;
    private readonly CertificateValidator _validator;
    private readonly HandshakeFacts _facts;
    private readonly LegacyClientCredentials _credentials;

    public LegacyTlsPeer(TlsCrypto crypto, TlsPolicy policy, string? sni, CertificateValidator validator, HandshakeFacts facts, LoadedClientCertificate? clientCertificate)
        : base(crypto)
    {
        _policy = policy;
        _sni = sni;
        _validator = validator;
        _facts = facts;
        _credentials = new LegacyClientCredentials(policy.ClientCertificateMode == ClientCertificateMode.Disabled ? null : clientCertificate);
    }

    /// <summary>Set once BouncyCastle reports the handshake finished.</summary>
    public bool HandshakeComplete { get; private set; }

    /// <summary>Whether the server sent a CertificateRequest.</summary>
    public bool CertificateRequested { get; private set; }

    /// <summary>Whether a client certificate went out in answer to it.</summary>
    public bool CertificateSent { get; private set; }

    /// <summary>Whether a client certificate is configured to be sent on request.</summary>
    public bool CertificateOffered => _credentials.Available;

    /// <summary>The server's leaf certificate, as soon as its Certificate message arrived.</summary>
    public X509Certificate2? ServerCertificate { get; private set; }

    public TlsClientContext Context => m_context;

    protected override ProtocolVersion[] GetSupportedVersions()
    {
        var max = Version(_policy.MaxProtocol ?? TlsProtocolVersion.Tls13);
        var min = Version(_policy.MinProtocol ?? TlsProtocolVersion.Tls12);
        return max.DownTo(min);
    }

    protected override IList<ServerName>? GetSniServerNames() =>
        _sni is null ? null : [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(_sni))];

    protected override IList<ProtocolName>? GetProtocolNames() =>
        _policy.Alpn.IsDefaultOrEmpty ? null : [.. _policy.Alpn.Select(ProtocolName.AsUtf8Encoding)];

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        HandshakeComplete = true;
    }

    internal static ProtocolVersion Version(TlsProtocolVersion version) => version switch
    {
        TlsProtocolVersion.Tls10 => ProtocolVersion.TLSv10,
        TlsProtocolVersion.Tls11 => ProtocolVersion.TLSv11,
        TlsProtocolVersion.Tls12 => ProtocolVersion.TLSv12,
        _ => ProtocolVersion.TLSv13,
    };

    private void OnServerCertificate(Certificate certificate)
    {
        var presented = new List<X509Certificate2>(certificate.Length);
        for (var i = 0; i < certificate.Length; i++)
        {
            presented.Add(X509CertificateLoader.LoadCertificate(certificate.GetCertificateAt(i).GetEncoded()));
        }

        ServerCertificate = presented.Count > 0 ? presented[0] : null;
        // The validator reads the chain as presented from ExtraStore, as SslStream hands it over on Linux.
        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(presented.ToArray());
        if (!_validator.Validate(ServerCertificate, chain, _facts, DateTimeOffset.UtcNow))
        {
            // The alert OpenSSL would send for the same verification failure.
            throw new TlsFatalAlert(_validator.Failure?.Code switch
            {
                FindingCodes.CertUntrusted => AlertDescription.unknown_ca,
                FindingCodes.CertExpired or FindingCodes.CertNotYetValid => AlertDescription.certificate_expired,
                FindingCodes.CertRevoked => AlertDescription.certificate_revoked,
                FindingCodes.CertWrongPurpose => AlertDescription.unsupported_certificate,
                _ => AlertDescription.bad_certificate,
            });
        }
    }

    private TlsCredentials? OnCertificateRequest(CertificateRequest request)
    {
        CertificateRequested = true;
        var credentials = _credentials.For(Crypto, m_context, request);
        CertificateSent = credentials is not null;
        return credentials;
    }

    private sealed class Authentication(LegacyTlsPeer peer) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) => peer.OnServerCertificate(serverCertificate.Certificate);

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => peer.OnCertificateRequest(certificateRequest);
    }
}
