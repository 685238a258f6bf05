using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace DbTls.Tests.Infrastructure;

/// <summary>The server side of TLS as the in-process test servers do it.</summary>
internal static class ServerTls
{
    /// <summary>
    /// The options the test servers start from: the certificate and the chain they send, built offline (a
    /// test certificate names no issuer URL worth fetching), no client certificate asked for, and no
    /// revocation check of one that arrives. ALPN is offered only when <paramref name="alpn"/> names protocols.
    /// </summary>
    public static SslServerAuthenticationOptions Options(
        X509Certificate2 certificate,
        IEnumerable<X509Certificate2> chain,
        SslProtocols protocols,
        params string[] alpn)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, [.. chain], offline: true),
            EnabledSslProtocols = protocols,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (alpn.Length > 0)
        {
            options.ApplicationProtocols = [.. alpn.Select(p => new SslApplicationProtocol(p))];
        }

        return options;
    }

    /// <summary>
    /// Runs the server side of a TLS handshake on <c>transport</c> and returns the authenticated stream; when
    /// the handshake fails the stream is disposed (so is <c>transport</c> unless <c>leaveInnerStreamOpen</c>)
    /// and the handshake's exception propagates for the server to record.
    /// </summary>
    public static Task<SslStream> AcceptAsync(Stream transport, SslServerAuthenticationOptions options, bool leaveInnerStreamOpen, CancellationToken cancellationToken) =>
        AcceptAsync(transport, leaveInnerStreamOpen, ssl => ssl.AuthenticateAsServerAsync(options, cancellationToken));

    /// <summary>As <see cref="AcceptAsync(Stream, SslServerAuthenticationOptions, bool, CancellationToken)"/>, with options chosen once the ClientHello (SNI) is known.</summary>
    public static Task<SslStream> AcceptAsync(Stream transport, ServerOptionsSelectionCallback select, bool leaveInnerStreamOpen, CancellationToken cancellationToken) =>
        AcceptAsync(transport, leaveInnerStreamOpen, ssl => ssl.AuthenticateAsServerAsync(select, null, cancellationToken));

    private static async Task<SslStream> AcceptAsync(Stream transport, bool leaveInnerStreamOpen, Func<SslStream, Task> authenticate)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen);
        try
        {
            await authenticate(ssl);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }
}
