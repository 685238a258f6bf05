using System.Net.Security;
using System.Security.Authentication;
using DbTls.Policy;
using DbTls.Tls.Trust;

namespace DbTls.Scan;

/// <summary>
/// A completed TLS handshake on one path, for the few facts that only show after it (whether a session follows
/// without ALPN, what protocol speaks inside). The certificate is not judged here (the scan's certificate section
/// does that), and nothing secret is ever sent inside.
/// </summary>
internal sealed class ScanTlsSession : IAsyncDisposable
{
    private readonly ProbeChannel _channel;

    private ScanTlsSession(ProbeChannel channel, SslStream tls)
    {
        _channel = channel;
        Stream = tls;
    }

    public SslStream Stream { get; }

    /// <summary>What the scan's handshakes rely on: no trust store, no revocation source.</summary>
    private static readonly TlsPolicy TrustsNothing = new() { Encryption = EncryptionMode.Required, Verification = VerificationLevel.None };

    /// <summary>The handshake through <paramref name="protocol"/>'s way in offering <paramref name="alpn"/>; null when the server refused it.</summary>
    /// <exception cref="ScanEntryException">The way in failed.</exception>
    public static async Task<ScanTlsSession?> OpenAsync(ScanTarget target, ScanProtocol protocol, IReadOnlyList<string> alpn, CancellationToken cancellationToken)
    {
        // SslStream builds a chain in every handshake before the callback below runs, and the process's first chain
        // reads the whole system store (SystemTrustStore says where the time goes): the scan trusts nothing, so a
        // one-scan process skips that read (tens of milliseconds of CPU beside the probes).
        SystemTrustStore.BeforeFirstHandshake(TrustsNothing, trust: null);
        var channel = await ScanEntry.OpenAsync(target, protocol, cancellationToken).ConfigureAwait(false);
        var tls = new SslStream(channel.Tls, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = target.ServerName ?? "",
                ApplicationProtocols = alpn.Count == 0 ? null : alpn.Select(p => new SslApplicationProtocol(p)).ToList(),
                // Only whether a session follows is asked; the certificate's worth is judged elsewhere.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, cancellationToken).ConfigureAwait(false);
            return new ScanTlsSession(channel, tls);
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            await channel.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        await _channel.DisposeAsync().ConfigureAwait(false);
    }
}
