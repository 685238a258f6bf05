using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace DbTls.Tls.Revocation;

/// <summary>What the probe handshake saw: the server's leaf certificate and its stapled OCSP response.</summary>
internal sealed record StapleProbeResult(bool Completed, byte[]? Leaf, byte[]? Staple, string Detail)
{
    public static StapleProbeResult NotPossible(string why) => new(false, null, null, why);
}

/// <summary>
/// .NET's SslStream asks for a staple (its ClientHello always carries status_request; measured with
/// <c>openssl s_server -status_verbose</c> on .NET 10/Linux) but never hands the response to the client.
/// So dbtls opens a second connection and runs a BouncyCastle handshake with status_request up to the
/// server's certificate (TLS 1.2: Certificate + CertificateStatus messages; TLS 1.3: the status_request
/// extension of the leaf's CertificateEntry), then aborts it. No application data and no credential
/// is ever sent on the probe connection.
/// </summary>
internal static class OcspStapleProbe
{
    private const int MaxProbeBytes = 256 * 1024;

    public static async Task<StapleProbeResult> RunAsync(Func<CancellationToken, ValueTask<Stream>> open, string? sni, IReadOnlyList<string> alpn,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var client = new ProbeClient(sni, alpn);
        var protocol = new TlsClientProtocol();
        try
        {
            await using var stream = await open(deadline.Token).ConfigureAwait(false);
            protocol.Connect(client);
            var buffer = new byte[16 * 1024];
            var total = 0;
            while (!client.Seen)
            {
                int pendingOutput;
                while ((pendingOutput = protocol.GetAvailableOutputBytes()) > 0)
                {
                    var n = protocol.ReadOutput(buffer, 0, Math.Min(pendingOutput, buffer.Length));
                    await stream.WriteAsync(buffer.AsMemory(0, n), deadline.Token).ConfigureAwait(false);
                }

                await stream.FlushAsync(deadline.Token).ConfigureAwait(false);
                var read = await stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return StapleProbeResult.NotPossible("the server closed the probe connection before sending its certificate");
                }

                total += read;
                if (total > MaxProbeBytes)
                {
                    return StapleProbeResult.NotPossible($"the server sent more than {MaxProbeBytes} bytes without finishing its certificate");
                }

                try
                {
                    protocol.OfferInput(buffer, 0, read);
                }
                catch (Exception) when (client.Seen)
                {
                    // Our own abort after the certificate was seen (BouncyCastle wraps it in an alert).
                }
            }

            return new StapleProbeResult(true, client.Leaf, client.Staple,
                client.Staple is null ? "the server stapled no OCSP response" : $"the server stapled an OCSP response ({client.Staple.Length} bytes)");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StapleProbeResult.NotPossible($"the probe handshake did not reach the server's certificate within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // Network errors, TLS alerts, and whatever BouncyCastle throws for a peer it cannot handle: no staple seen.
            return StapleProbeResult.NotPossible($"the probe handshake failed: {ex.Message}");
        }
        finally
        {
            try
            {
                protocol.Close();
            }
            catch (Exception ex) when (ex is IOException or TlsException or NullReferenceException)
            {
                // Closing a half-done handshake may complain; the connection is going away anyway. BouncyCastle
                // throws NullReferenceException from RaiseAlertWarning when the probe gave up on a .NET SslStream
                // server (the MongoDB test server) before the handshake finished.
            }
        }
    }

    private sealed class ProbeClient(string? sni, IReadOnlyList<string> alpn) : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        public bool Seen { get; private set; }

        public byte[]? Leaf { get; private set; }

        public byte[]? Staple { get; private set; }

        public override TlsAuthentication GetAuthentication() => new ProbeAuthentication(this);

        /// <summary>
        /// BouncyCastle enforces RFC 7633 itself: for a Must-Staple certificate it fails with certificate_unknown
        /// ("Server extensions missing TLS Feature 5") before NotifyServerCertificate runs when status_request is
        /// not among the server's extensions, which under TLS 1.3 is always (the staple travels in the
        /// CertificateEntry instead). Marking status_request as present lets the probe reach the certificate;
        /// whether a staple really came is then dbtls' own Must-Staple check. Under TLS 1.2 the marker only makes
        /// the CertificateStatus message optional, which it is anyway.
        /// </summary>
        public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
        {
            base.ProcessServerExtensions(serverExtensions);
            if (serverExtensions is { IsReadOnly: false })
            {
                serverExtensions.TryAdd(ExtensionType.status_request, []);
            }
        }

        /// <summary>
        /// TLS 1.3 carries the staple in the leaf's CertificateEntry as a status_request extension holding a
        /// CertificateStatus (RFC 8446 4.4.2.1: status_type ocsp(1), then a 24-bit length and the DER
        /// OCSPResponse); BouncyCastle keeps the extension but does not surface it as CertificateStatus.
        /// </summary>
        private static byte[]? FromTls13Entry(CertificateEntry entry)
        {
            if (entry.Extensions is null || !entry.Extensions.TryGetValue(ExtensionType.status_request, out var value))
            {
                return null;
            }

            ReadOnlySpan<byte> data = value;
            if (data.Length < 4 || data[0] != CertificateStatusType.ocsp)
            {
                return null;
            }

            var length = (data[1] << 16) | (data[2] << 8) | data[3];
            return length > 0 && length == data.Length - 4 ? data[4..].ToArray() : null;
        }

        private void Record(Certificate chain, CertificateStatus? status)
        {
            Leaf = chain.GetCertificateAt(0).GetEncoded();
            Staple = status is { StatusType: CertificateStatusType.ocsp } ? status.OcspResponse.GetEncoded() : FromTls13Entry(chain.GetCertificateEntryAt(0));
            Seen = true;
        }

        protected override IList<ServerName>? GetSniServerNames() =>
            sni is null ? null : [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(sni))];

        protected override IList<ProtocolName>? GetProtocolNames() =>
            alpn.Count == 0 ? null : [.. alpn.Select(ProtocolName.AsUtf8Encoding)];

        protected override CertificateStatusRequest GetCertificateStatusRequest() =>
            new(CertificateStatusType.ocsp, new OcspStatusRequest(null, null));

        private sealed class ProbeAuthentication(ProbeClient owner) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                if (serverCertificate.Certificate is { IsEmpty: false } chain)
                {
                    owner.Record(chain, serverCertificate.CertificateStatus);
                }

                throw new TlsFatalAlert(AlertDescription.user_canceled); // seen what we came for; end the probe
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
        }
    }
}
