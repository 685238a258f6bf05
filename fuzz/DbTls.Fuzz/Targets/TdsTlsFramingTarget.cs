using DbTls.Policy;
using DbTls.Wire.Tds;

namespace DbTls.Fuzz.Targets;

/// <summary>The TLS handshake inside PRELOGIN packets, as SqlClient/FreeTDS run it before login (TDS 7.x "wrapped" TLS).</summary>
internal sealed class TdsTlsFramingTarget : TlsFlightTarget
{
    private static readonly IReadOnlyList<byte[]> PacketTokens = [[0x12, 0x01], [0x04, 0x01], [0x12, 0x00], [0x12, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00]];

    public override string Name => "tds-tls-framing";

    public override string Reaches => "TdsTlsFramingStream (packet unwrapping, record-header checks) under TlsClient.AuthenticateAsync";

    public override IReadOnlyList<byte[]> Dictionary => [.. base.Dictionary, .. PacketTokens];

    protected override TlsPolicy Policy { get; } = new()
    {
        Encryption = EncryptionMode.Required,
        Verification = VerificationLevel.None,
        MinProtocol = TlsProtocolVersion.Tls12,
        MaxProtocol = TlsProtocolVersion.Tls12,
    };

    protected override Stream Wrap(Stream serverBytes) => new TdsTlsFramingStream(serverBytes, TdsTlsFramingOptions.Client);
}
