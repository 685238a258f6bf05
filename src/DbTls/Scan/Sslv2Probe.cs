using DbTls.Scan.Probe;

namespace DbTls.Scan;

/// <summary>
/// SSLv2, detected only: one SSLv2 CLIENT-HELLO (two-byte record header, message type 1); a server that still speaks
/// SSLv2 answers SERVER-HELLO (message type 4), anything else (a TLS alert, a close) means no. Asked only when the
/// server accepts SSLv3 or TLS 1.0, or refused every TLS version (an alert or a close, not silence): every library
/// that kept SSLv2 also speaks those, so a server of TLS 1.2 and later costs no connection, and a silent one no wait.
/// Not asked inside TDS 7.x PRELOGIN packets, which carry TLS records only.
/// </summary>
internal static class Sslv2Probe
{
    private const byte ServerHello = 4;

    /// <summary>Whether to ask: the server accepts SSLv3 or TLS 1.0, or refused every version the TLS probes offered.</summary>
    public static bool Worth(IReadOnlyList<VersionResult> versions, ScanProtocol protocol) =>
        protocol != ScanProtocol.Tds
        && (versions.Any(v => v.Accepted && v.Version <= TlsVersions.Tls10)
            || (versions.Count > 0 && versions.All(v => !v.Accepted && v.First.Kind is ProbeReplyKind.Alert or ProbeReplyKind.Closed)));

    /// <summary>True when the server answered with an SSLv2 SERVER-HELLO.</summary>
    public static async Task<bool> AnswersAsync(ScanTarget target, ScanProtocol protocol, CancellationToken cancellationToken)
    {
        await using var channel = await ScanEntry.OpenAsync(target, protocol, cancellationToken).ConfigureAwait(false);
        try
        {
            await channel.Tls.WriteAsync(ClientHello(), cancellationToken).ConfigureAwait(false);
            var first = new byte[3];
            var read = 0;
            while (read < first.Length)
            {
                var n = await channel.Tls.ReadAsync(first.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return IsServerHello(first);
        }
        catch (Exception ex) when (ex is IOException or Diagnostics.DbTlsException)
        {
            // A reset, or bytes the way in rejects, is a refusal, as with the TLS probes.
            return false;
        }
    }

    /// <summary>A two-byte SSLv2 record header (high bit set) whose message is SERVER-HELLO.</summary>
    internal static bool IsServerHello(ReadOnlySpan<byte> first) => first.Length >= 3 && (first[0] & 0x80) != 0 && first[2] == ServerHello;

    /// <summary>CLIENT-HELLO version 2 with the seven SSLv2 cipher kinds, no session id and a 16-byte challenge.</summary>
    internal static byte[] ClientHello()
    {
        byte[] specs = [0x01, 0x00, 0x80, 0x02, 0x00, 0x80, 0x03, 0x00, 0x80, 0x04, 0x00, 0x80, 0x05, 0x00, 0x80, 0x06, 0x00, 0x40, 0x07, 0x00, 0xC0];
        var challenge = new byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(challenge);
        byte[] body = [1, 0x00, 0x02, 0x00, (byte)specs.Length, 0x00, 0x00, 0x00, (byte)challenge.Length, .. specs, .. challenge];
        return [(byte)(0x80 | (body.Length >> 8)), (byte)body.Length, .. body];
    }
}
