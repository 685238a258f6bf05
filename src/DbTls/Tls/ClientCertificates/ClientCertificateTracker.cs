using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DbTls.Policy;

namespace DbTls.Tls.ClientCertificates;

/// <summary>
/// Offers the client certificate and records whether the server asked for one, like libpq's cert_cb.
/// <para>
/// SslStream calls LocalCertificateSelectionCallback once before the handshake (no remote certificate
/// yet) and again when the server's CertificateRequest arrives (remote certificate set, issuers from the
/// request); answering null the first time and the certificate the second sends it only on request
/// and reveals the request exactly. A certificate whose file also holds chain certificates is given
/// as a ClientCertificateContext instead (only that sends the chain); SslStream then skips the
/// callback, so "requested" is inferred from whether the certificate went out (it always does when
/// asked). The limit: a server that asks but fails the handshake before we learn of it leaves
/// "requested" unknown (null) on that path.
/// </para>
/// </summary>
internal sealed class ClientCertificateTracker(ClientCertificateMode mode, LoadedClientCertificate? certificate)
{
    private bool _requested;
    private bool _sent;
    private bool _usesContext;

    /// <summary>Whether a certificate is configured and may be offered.</summary>
    public bool Offered => mode != ClientCertificateMode.Disabled && certificate is not null;

    /// <summary>The server certificate SslStream passed along with the CertificateRequest, if one came.</summary>
    public X509Certificate2? ServerCertificateSeen { get; private set; }

    public void Configure(SslClientAuthenticationOptions options)
    {
        var offer = mode == ClientCertificateMode.Disabled ? null : certificate;
        if (offer is not null && offer.Chain.Count > 0)
        {
            _usesContext = true;
            options.ClientCertificateContext = SslStreamCertificateContext.Create(offer.Certificate, offer.Chain, offline: true);
            return;
        }

        options.LocalCertificateSelectionCallback = (_, _, _, remoteCertificate, _) =>
        {
            if (remoteCertificate is null)
            {
                return null!; // the up-front call: nothing is requested yet
            }

            _requested = true;
            _sent = offer is not null;
            // Copied: SslStream disposes its own instance when the handshake fails.
            ServerCertificateSeen ??= X509CertificateLoader.LoadCertificate(remoteCertificate.GetRawCertData());
            return offer?.Certificate!;
        };
    }

    public void Record(SslStream stream, HandshakeFacts facts, bool completed)
    {
        X509Certificate? local = null;
        try
        {
            local = stream.LocalCertificate;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Security.Authentication.AuthenticationException or IOException)
        {
            // After a failed handshake SslStream rethrows the handshake's exception here.
        }

        facts.ClientCertificateSent = local is not null || (!_usesContext && _sent);
        if (_usesContext)
        {
            facts.ClientCertificateRequested = local is not null ? true : completed ? false : null;
        }
        else
        {
            facts.ClientCertificateRequested = _requested || completed ? _requested : null;
        }
    }
}
