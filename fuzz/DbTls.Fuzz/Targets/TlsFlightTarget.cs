using DbTls.Fuzz.Engine;
using DbTls.Fuzz.Transport;
using DbTls.Policy;
using DbTls.Tls;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// What the TLS targets share: the input is the server's side of a TLS handshake, dbtls' client runs
/// it under a policy that selects the TLS engine (SslStream/OpenSSL, or BouncyCastle for TLS 1.0/1.1).
/// A recorded flight cannot complete the handshake (the client random differs), so this reaches
/// record and handshake parsing, certificate decoding and the failure classification.
/// </summary>
internal abstract class TlsFlightTarget : FuzzTarget
{
    private static readonly IReadOnlyList<byte[]> RecordTokens =
    [
        [0x16, 0x03, 0x03, 0x00, 0x00], [0x16, 0x03, 0x01], [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], [0x14, 0x03, 0x03, 0x00, 0x01, 0x01],
        [0x17, 0x03, 0x03], [0x02, 0x00, 0x00], [0x0B, 0x00, 0x00], [0x0C, 0x00, 0x00], [0x0D, 0x00, 0x00], [0x0E, 0x00, 0x00, 0x00],
        [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04], [0x00, 0x33], [0xC0, 0x2F], [0x13, 0x01], [0x30, 0x82], [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B],
    ];

    public override IReadOnlyList<byte[]> Dictionary => RecordTokens;

    protected abstract TlsPolicy Policy { get; }

    public override void Run(byte[] input) => TargetHelpers.Wait(HandshakeAsync(Wrap(new ServerBytesStream(input))));

    /// <summary>The transport the handshake runs on; a database protocol's packet framing wraps the raw bytes here.</summary>
    protected virtual Stream Wrap(Stream serverBytes) => serverBytes;

    private async Task HandshakeAsync(Stream transport)
    {
        await using (transport.ConfigureAwait(false))
        {
            var session = await TlsClient.AuthenticateAsync(transport, Policy, new TlsTarget("fuzz.dbtls.test"), CancellationToken.None).ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
