using DbTls.Fuzz.Engine;
using DbTls.Fuzz.Transport;
using DbTls.Wire.Tds;

namespace DbTls.Fuzz.Targets;

/// <summary>The server's PRELOGIN answer as it arrives: TDS packets read with the PRELOGIN size limit, then the option table.</summary>
internal sealed class TdsPreLoginTarget : FuzzTarget
{
    public override string Name => "tds-prelogin";

    public override string Reaches => "TdsMessageReader (PRELOGIN limit), PreLoginMessage.Decode, TdsEncryptionNegotiation.Outcome";

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0x04, 0x01], [0x12, 0x01], [0x00, 0x00, 0x1A, 0x00, 0x06], [0x01, 0x00, 0x20, 0x00, 0x01], [0xFF], [0x00, 0x00, 0x00, 0x00],
        [0x02], [0x03], [0x04], [0x05], [0x06], [0x07], [0x08], [0x80],
    ];

    public override void Run(byte[] input) => TargetHelpers.Wait(RunAsync(input));

    private static async Task RunAsync(byte[] input)
    {
        var reader = new TdsMessageReader(new ServerBytesStream(input), PreLoginMessage.MaxLength);
        var message = await reader.ReadMessageAsync(CancellationToken.None).ConfigureAwait(false);
        if (message is null)
        {
            return;
        }

        var answer = PreLoginMessage.Decode(message.Payload);
        _ = TdsEncryptionNegotiation.Outcome(PreLoginEncryption.On, answer.Encryption);
    }
}
