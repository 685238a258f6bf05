using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tls.Verification;

namespace DbTls.Tls.Revocation;

/// <summary>
/// Runs OCSP after SslStream's handshake and validation succeeded and before the caller gets the
/// stream, so a revoked certificate still stops the connection before any application byte. It runs
/// outside the validation callback because it needs network I/O (the probe handshake and the
/// responder) that must stay asynchronous.
/// </summary>
internal static class OcspHandshakeStep
{
    /// <summary>The failure that must end the connection (null when none) and the warnings to keep.</summary>
    public static async Task<(Finding? Failure, IReadOnlyList<Finding> Warnings)> RunAsync(Stream transport, TlsPolicy policy, TlsTarget target, string? sni,
        IReadOnlyList<X509Certificate2> verified, HandshakeFacts facts, CancellationToken cancellationToken)
    {
        var ocsp = policy.Revocation.Ocsp;
        if (!ocsp.Enabled || policy.Verification == VerificationLevel.None || verified.Count == 0)
        {
            return (null, []);
        }

        var open = target.OpenProbeTransport ?? DirectReconnect(transport, policy);
        var leafInfo = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(verified[0].RawData);
        var probe = !OcspCertificateInfo.IsMustStaple(leafInfo) && OcspCertificateInfo.ResponderUrls(leafInfo).Count == 0
            // Servers (mongod, .NET) fetch their staple from the certificate's OCSP URL: without one nothing is
            // stapled in practice, so the probe connection is spared (it would show up in the server's logs).
            // The missing responder itself is stated once, by OcspCheck, where it decides whether a responder can be asked.
            ? StapleProbeResult.NotPossible("no staple probe: the certificate is not Must-Staple, and a server staples only what the certificate's responder answers")
            : open is null
            ? StapleProbeResult.NotPossible("the stapled response could not be read: no probe connection can be opened over this transport")
            : await OcspStapleProbe.RunAsync(open, sni, policy.Alpn.IsDefaultOrEmpty ? [] : policy.Alpn, ocsp.ResponderTimeout, cancellationToken).ConfigureAwait(false);
        if (probe is { Completed: true, Leaf: { } leaf } && !leaf.AsSpan().SequenceEqual(verified[0].RawData))
        {
            // Another certificate on the probe connection (a load balancer rotating servers): its staple says nothing about ours.
            probe = StapleProbeResult.NotPossible("the probe connection was answered with a different certificate, so its staple was not used");
        }

        var settledByCrl = policy.Revocation.Enabled && policy.Revocation.Scope != RevocationScope.AvailableCrlsOnly
            && facts.Steps.Any(s => s.Step == ValidationSteps.Revocation && s.Outcome == ValidationSteps.Passed);
        OcspOutcome outcome;
        try
        {
            outcome = await OcspCheck.RunAsync(ocsp, verified[0], OcspCheck.IssuerOf(verified), probe, settledByCrl, OcspCache.Shared,
                () => DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // A certificate or response BouncyCastle cannot process must end as a finding, never as a crash.
            var message = $"the OCSP status of the server certificate could not be checked: {ex.Message}";
            var finding = FindingCatalog.Create(FindingCodes.TlsOcspUnknown, message, severity: ocsp.HardFail ? Severity.Error : null);
            outcome = ocsp.HardFail
                ? new OcspOutcome(new StepResult(OcspCheck.Step, ValidationSteps.Failed, message, finding), [], new OcspReport())
                : new OcspOutcome(StepResult.Skip(OcspCheck.Step, message), [finding], new OcspReport());
        }

        facts.Steps.Add(outcome.Step);
        facts.Ocsp = outcome.Report;
        return (outcome.Step.Failure, outcome.Warnings);
    }

    /// <summary>When TLS starts on the first byte of a plain TCP connection, a new TCP connection to the same end point is a faithful probe.</summary>
    private static Func<CancellationToken, ValueTask<Stream>>? DirectReconnect(Stream transport, TlsPolicy policy)
    {
        if (policy.Encryption != EncryptionMode.TlsFirst || transport is not NetworkStream network || network.Socket.RemoteEndPoint is not IPEndPoint remote)
        {
            return null;
        }

        // A dual-mode socket (new TcpClient(), as MongoCheck uses) reports an IPv4 peer as ::ffff:a.b.c.d; a plain
        // IPv6 socket cannot reach that ("Network is unreachable"), so the probe dials the IPv4 address itself.
        var endPoint = remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;

        return async cancellationToken =>
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
    }
}
