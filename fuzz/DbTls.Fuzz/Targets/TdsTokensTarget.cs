using DbTls.Diagnostics;
using DbTls.Fuzz.Engine;
using DbTls.Wire.Tds;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// A tabular-result payload (LOGINACK, ENVCHANGE, INFO/ERROR, COLMETADATA, ROW, DONE, FEATUREEXTACK …)
/// parsed as TDS 7.4 and, because some token layouts depend on it, as TDS 7.1.
/// </summary>
internal sealed class TdsTokensTarget : FuzzTarget
{
    public override string Name => "tds-tokens";

    public override string Reaches => "TdsTokenParser.Parse, TdsValueCodec, TdsSpanReader, TdsCollation";

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        [0xAD], [0xE3], [0xAA], [0xAB], [0x81], [0xD1], [0xFD], [0xFE], [0xFF], [0xAE], [0x79], [0xE7], [0xA7], [0x26], [0x38], [0x6F],
        [0xFF, 0xFF], [0x74, 0x00, 0x00, 0x04], [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
    ];

    public override void Run(byte[] input)
    {
        try
        {
            _ = TdsTokenParser.Parse(input, TdsVersions.V7_1);
        }
        catch (DbTlsException ex) when (Verdict.CrashReason(ex) is null)
        {
            // A documented refusal under 7.1; the 7.4 reading below still runs.
        }

        _ = TdsTokenParser.Parse(input, TdsVersions.V7_4);
    }
}
