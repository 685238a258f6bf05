using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.ClientCertificates;
using DbTls.Tls.HostNames;
using DbTls.Tls.Legacy;
using DbTls.Tls.Records;
using DbTls.Tls.Revocation;
using DbTls.Tls.Trust;
using DbTls.Tls.Verification;

namespace DbTls.Tls;

/// <summary>
/// Runs a client TLS handshake on any transport stream (raw TCP, or a stream that wraps TLS records
/// in a database protocol's packets) and reports everything it saw.
/// </summary>
internal static class TlsClient
{
    /// <summary>Certificates expiring within this window raise <c>cert.expiring-soon</c>.</summary>
    public static readonly TimeSpan ExpiryWarningWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// Performs the handshake. Throws <see cref="TlsHandshakeException"/> (code plus the partial
    /// report, with the chain as far as it was seen) on configuration errors (before any byte is
    /// sent), on validation failures (inside the handshake, before any application byte) and on
    /// every other handshake failure.
    /// </summary>
    public static async Task<TlsSession> AuthenticateAsync(Stream transport, TlsPolicy policy, TlsTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(target);

        var facts = new HandshakeFacts();
        var material = Prepare(policy, facts);
        var validator = new CertificateValidator(policy, target, material.Trust, material.Crls);
        var sni = ShouldSendSni(policy, target.HostName) ? target.HostName : null;
        facts.Sni = sni;
        if (LegacyTls.Applies(policy))
        {
            // TLS 1.0/1.1 explicitly enabled: the platform OpenSSL cannot speak them (see LegacyTls).
            return await LegacyTls.AuthenticateAsync(transport, policy, target, sni, validator, facts, material.ClientCertificate, cancellationToken).ConfigureAwait(false);
        }

        var clientCertificate = new ClientCertificateTracker(policy.ClientCertificateMode, material.ClientCertificate);
        // SslStream never sees an empty handshake record (it crashes on them; OpenSSL skips them).
        var ssl = new ReportingSslStream(new EmptyHandshakeRecordFilter(transport));
        var options = new SslClientAuthenticationOptions
        {
            // SslStream uses TargetHost only for SNI here (validation is ours); empty suppresses the extension.
            TargetHost = sni ?? string.Empty,
            EnabledSslProtocols = ToSslProtocols(policy.MinProtocol, policy.MaxProtocol),
            // Every connection is a full handshake: a resumed session would skip the certificate we must show.
            AllowTlsResume = false,
            // SslStream builds its own chain before calling us; keep that cheap and offline. Our validator builds the real one.
            CertificateChainPolicy = new X509ChainPolicy
            {
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
                TrustMode = X509ChainTrustMode.CustomRootTrust,
            },
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => validator.Validate(certificate, chain, facts, DateTimeOffset.UtcNow),
        };
        clientCertificate.Configure(options);
        if (!policy.Alpn.IsDefaultOrEmpty)
        {
            options.ApplicationProtocols = [.. policy.Alpn.Select(p => new SslApplicationProtocol(p))];
        }

        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            clientCertificate.Record(ssl, facts, completed: false);
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw HandshakeOutcome.Failed(validator, clientCertificate.ServerCertificateSeen, facts, ex,
                () => HandshakeFailures.Classify(ex, policy, facts.ClientCertificateRequested, facts.ClientCertificateSent, clientCertificate.Offered));
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        facts.Protocol = ssl.SslProtocol;
        facts.CipherSuite = ssl.NegotiatedCipherSuite;
        facts.Alpn = ssl.NegotiatedApplicationProtocol == default ? null : ssl.NegotiatedApplicationProtocol.ToString();
        clientCertificate.Record(ssl, facts, completed: true);
        ssl.Facts = facts;
        ssl.ClientCertificateOffered = clientCertificate.Offered;

        var serverCertificate = ssl.RemoteCertificate is null ? null : X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate.GetRawCertData());
        return await HandshakeOutcome.EstablishedAsync(ssl, transport, policy, target, sni, facts, validator, serverCertificate, ssl.SslProtocol, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// OpenSSL-based clients never put an IP literal in SNI (RFC 6066 forbids it): libpq skips hosts made
    /// only of digits and dots or containing ':'; SslStream itself also refuses anything
    /// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> accepts (e.g. 0x7f.0.0.1), so neither is sent.
    /// </summary>
    internal static bool ShouldSendSni(TlsPolicy policy, string? host) =>
        policy.SendSni
        && !string.IsNullOrEmpty(host)
        && !host.All(c => c is '.' or (>= '0' and <= '9'))
        && !host.Contains(':', StringComparison.Ordinal)
        && !IPAddress.TryParse(host, out _)
        && !InetAddress.IsIpAddress(host);

    internal static SslProtocols ToSslProtocols(TlsProtocolVersion? min, TlsProtocolVersion? max)
    {
        var lo = min ?? TlsProtocolVersion.Tls12;
        var hi = max ?? TlsProtocolVersion.Tls13;
        var result = SslProtocols.None;
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 only when a dialect explicitly asks for them.
        if (lo <= TlsProtocolVersion.Tls10 && hi >= TlsProtocolVersion.Tls10)
            result |= SslProtocols.Tls;
        if (lo <= TlsProtocolVersion.Tls11 && hi >= TlsProtocolVersion.Tls11)
            result |= SslProtocols.Tls11;
#pragma warning restore SYSLIB0039
        if (lo <= TlsProtocolVersion.Tls12 && hi >= TlsProtocolVersion.Tls12)
            result |= SslProtocols.Tls12;
        if (lo <= TlsProtocolVersion.Tls13 && hi >= TlsProtocolVersion.Tls13)
            result |= SslProtocols.Tls13;
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

    private sealed record Material(TrustAnchors? Trust, CrlStore? Crls, LoadedClientCertificate? ClientCertificate);

    /// <summary>Loads everything from disk before the first byte goes out, so configuration errors never reach the wire.</summary>
    private static Material Prepare(TlsPolicy policy, HandshakeFacts facts)
    {
        try
        {
            if (ToSslProtocols(policy.MinProtocol, policy.MaxProtocol) == SslProtocols.None)
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"the TLS version range is empty (minimum {policy.MinProtocol?.ToDisplay()}, maximum {policy.MaxProtocol?.ToDisplay()})");
            }

            // A pinned certificate (JDBC serverCertificate) is compared, not chained: no trust store is read.
            var verify = policy.Verification is not (VerificationLevel.None or VerificationLevel.PinnedCertificate);
            var trust = verify ? TrustStoreLoader.Load(policy.Trust) : null;
            SystemTrustStore.BeforeFirstHandshake(policy, trust);
            var crls = verify && policy.Revocation.Enabled ? CrlStore.Load(policy.Revocation) : null;
            var client = policy.ClientCertificateMode != ClientCertificateMode.Disabled && policy.ClientCertificate is { } source
                ? ClientCertificateLoader.Load(source)
                : null;
            return new Material(trust, crls, client);
        }
        catch (TlsHandshakeException)
        {
            throw;
        }
        catch (DbTlsException ex)
        {
            throw new TlsHandshakeException(ex.Code, ex.Message, facts, ex.Remedy, ex);
        }
    }

    private static string InDays(TimeSpan left)
    {
        var days = (int)Math.Floor(left.TotalDays);
        return $"in {days} day{(days == 1 ? "" : "s")}";
    }

    internal static List<Finding> SessionFindings(SslProtocols protocol, IReadOnlyList<X509Certificate2> chain, DateTimeOffset now)
    {
        var findings = new List<Finding>();
#pragma warning disable SYSLIB0039
        if (protocol is SslProtocols.Tls or SslProtocols.Tls11)
#pragma warning restore SYSLIB0039
        {
            findings.Add(FindingCatalog.Create(FindingCodes.TlsWeakProtocol, $"the connection uses {ProtocolName(protocol)}, which is deprecated (RFC 8996)"));
        }

        // One rule for every dialect: one warning per chain, naming the certificate that expires first and then the
        // others in the window (a chain issued together expires together; three warnings would say one thing thrice).
        var expiring = chain
            .Select(c => (Certificate: c, NotAfter: new DateTimeOffset(c.NotAfter.ToUniversalTime(), TimeSpan.Zero)))
            .Where(c => c.NotAfter >= now && c.NotAfter - now <= ExpiryWarningWindow)
            .OrderBy(c => c.NotAfter)
            .Select(c => $"{Describe.Name(c.Certificate)} expires on {Describe.Date(c.NotAfter)} ({InDays(c.NotAfter - now)})")
            .ToList();
        if (expiring.Count > 0)
        {
            var also = expiring.Count == 1 ? "" : $"; also in the chain: {string.Join("; ", expiring.Skip(1))}";
            findings.Add(FindingCatalog.Create(FindingCodes.CertExpiringSoon, $"certificate {expiring[0]}{also}"));
        }

        return findings;
    }
}
