using DbTls.Fuzz.Engine;
using DbTls.Scan.Probe;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// The scan engine's reading of a server's answer to a raw ClientHello: the bytes arrive in pieces (sizes derived
/// from the input, so a run is reproducible) and <see cref="ServerFlightParser.TryParse"/> is asked after each
/// piece, as TlsProbe does, then <see cref="ServerFlightParser.AtEnd"/> on what arrived; with and without asking
/// for the certificate flight. Besides exceptions, an answer that breaks the parser's own contract is a crash.
/// </summary>
internal sealed class ScanFlightTarget : FuzzTarget
{
    public override string Name => "scan-flight";

    public override string Reaches => "ServerFlightParser.TryParse/AtEnd (records, ServerHello, HelloRetryRequest, extensions, Certificate, CertificateStatus, alerts, limits)";

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0x16, 0x03, 0x03], [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], [0x16, 0x03, 0x01], [0x02, 0x00, 0x00], [0x0B, 0x00, 0x00], [0x0E, 0x00, 0x00, 0x00],
        [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04], [0x00, 0x33], [0xFF, 0x01, 0x00, 0x01, 0x00], [0x00, 0x17, 0x00, 0x00], [0x00, 0x10],
        [0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11], [0x13, 0x01], [0xC0, 0x2F], [0xFF, 0xFF], [0x00, 0x1D],
        [0x16, 0x00, 0x00], [0x01, 0x00, 0x00], [0x00, 0x23, 0x00, 0x00], [0x00, 0x05, 0x00, 0x00],
    ];

    public override void Run(byte[] input)
    {
        Read(input, wantCertificate: true);
        Read(input, wantCertificate: false);
    }

    private static void Read(byte[] input, bool wantCertificate)
    {
        var pieces = new Random(input.Length * 31 + (input.Length > 0 ? input[0] : 0) + (wantCertificate ? 1 : 0));
        var received = 0;
        while (received < input.Length)
        {
            received = Math.Min(input.Length, received + 1 + pieces.Next(Math.Min(input.Length - received, 512)));
            if (ServerFlightParser.TryParse(input.AsSpan(0, received), wantCertificate, out var decided))
            {
                Check(decided, received);
                return;
            }
        }

        Check(ServerFlightParser.AtEnd(input, wantCertificate), received);
    }

    /// <summary>The contract the scan relies on: typed, bounded, and no .NET type names in what a user reads.</summary>
    private static void Check(ProbeReply reply, int received)
    {
        if (reply.Accepted && reply.Version == 0)
        {
            throw new InvalidOperationException("an accepted answer without a version");
        }

        if (!reply.Accepted && reply.Kind is not (ProbeReplyKind.Alert or ProbeReplyKind.Closed) && string.IsNullOrEmpty(reply.Detail))
        {
            throw new InvalidOperationException($"a {reply.Kind} answer without a detail");
        }

        if (reply.Detail?.Contains("Exception", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException("a detail that names an exception type");
        }

        if (reply.Kind == ProbeReplyKind.Closed && received != 0)
        {
            throw new InvalidOperationException("bytes arrived but the answer says the server closed without any");
        }

        if (reply.Certificates.Sum(c => (long)c.Length) > received)
        {
            throw new InvalidOperationException("more certificate bytes than were received");
        }
    }
}
