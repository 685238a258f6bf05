using DbTls.Fuzz.Engine;
using DbTls.Fuzz.Transport;
using DbTls.Wire.Tds;

namespace DbTls.Fuzz.Targets;

/// <summary>A stream of TDS packets after login: packet headers, message assembly, and the tokens of each tabular result.</summary>
internal sealed class TdsPacketsTarget : FuzzTarget
{
    public override string Name => "tds-packets";

    public override string Reaches => "TdsMessageReader.ReadMessageAsync, TdsPacketHeader, TdsTokenParser.Parse";

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0x04, 0x01], [0x04, 0x00], [0x04, 0x01, 0x00, 0x08], [0x04, 0x01, 0xFF, 0xFF], [0x12, 0x01], [0xFD, 0x00, 0x00], [0xAD], [0xE3], [0xAA], [0xAB],
    ];

    public override void Run(byte[] input) => TargetHelpers.Wait(RunAsync(input));

    private static async Task RunAsync(byte[] input)
    {
        var reader = new TdsMessageReader(new ServerBytesStream(input));
        while (await reader.ReadMessageAsync(CancellationToken.None).ConfigureAwait(false) is { } message)
        {
            if (message.Type == TdsPacketType.TabularResult)
            {
                _ = TdsTokenParser.Parse(message.Payload);
            }
        }
    }
}
