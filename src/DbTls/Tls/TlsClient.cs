using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Tls;

/// <summary>
/// Runs a client TLS handshake on any transport stream (raw TCP, or a stream that wraps TLS records
/// in a database protocol's packets) and reports everything it saw.
/// </summary>
public static class TlsClient
{
    public static async Task<TlsSession> AuthenticateAsync(Stream transport, TlsPolicy policy, TlsTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(target);

        var report = new TlsReport();
        var validator = new CertificateValidator(policy, target);
        var sni = ShouldSendSni(policy, target.HostName) ? target.HostName : null;
        report.Sni = sni;

        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            // SslStream uses TargetHost for SNI; an empty name suppresses the extension.
            TargetHost = sni ?? string.Empty,
            EnabledSslProtocols = ToSslProtocols(policy.MinProtocol, policy.MaxProtocol),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => validator.Validate(certificate, chain, report),
        };
        if (!policy.Alpn.IsDefaultOrEmpty)
        {
            options.ApplicationProtocols = policy.Alpn.Select(p => new SslApplicationProtocol(p)).ToList();
        }

        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (validator.Failure is { } failure)
            {
                throw new TlsHandshakeException(failure.Code, failure.Message, report, failure.Remedy, ex);
            }

            throw new TlsHandshakeException(FindingCodes.TlsHandshakeFailed, $"TLS handshake failed: {ex.InnerException?.Message ?? ex.Message}", report, inner: ex);
        }
        catch (IOException ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new TlsHandshakeException(FindingCodes.TlsHandshakeFailed, $"the connection broke during the TLS handshake: {ex.Message}", report, inner: ex);
        }

        report.Protocol = ProtocolName(ssl.SslProtocol);
        report.CipherSuite = ssl.NegotiatedCipherSuite.ToString();
        report.Alpn = ssl.NegotiatedApplicationProtocol == default ? null : ssl.NegotiatedApplicationProtocol.ToString();
        var serverCertificate = ssl.RemoteCertificate is null ? null : new X509Certificate2(ssl.RemoteCertificate);
        return new TlsSession(ssl, report, serverCertificate);
    }

    /// <summary>OpenSSL-based clients (libpq, FreeTDS) never put an IP literal in SNI (RFC 6066 forbids it).</summary>
    internal static bool ShouldSendSni(TlsPolicy policy, string? host) =>
        policy.SendSni && !string.IsNullOrEmpty(host) && !IPAddress.TryParse(host, out _);

    internal static SslProtocols ToSslProtocols(TlsProtocolVersion? min, TlsProtocolVersion? max)
    {
        var lo = min ?? TlsProtocolVersion.Tls12;
        var hi = max ?? TlsProtocolVersion.Tls13;
        var result = SslProtocols.None;
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 only when a dialect explicitly asks for them.
        if (lo <= TlsProtocolVersion.Tls10 && hi >= TlsProtocolVersion.Tls10) result |= SslProtocols.Tls;
        if (lo <= TlsProtocolVersion.Tls11 && hi >= TlsProtocolVersion.Tls11) result |= SslProtocols.Tls11;
#pragma warning restore SYSLIB0039
        if (lo <= TlsProtocolVersion.Tls12 && hi >= TlsProtocolVersion.Tls12) result |= SslProtocols.Tls12;
        if (lo <= TlsProtocolVersion.Tls13 && hi >= TlsProtocolVersion.Tls13) result |= SslProtocols.Tls13;
        return result;
    }

    internal static string ProtocolName(SslProtocols protocol) => protocol switch
    {
#pragma warning disable SYSLIB0039
        SslProtocols.Tls => "TLSv1",
        SslProtocols.Tls11 => "TLSv1.1",
#pragma warning restore SYSLIB0039
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls13 => "TLSv1.3",
        _ => protocol.ToString(),
    };
}
