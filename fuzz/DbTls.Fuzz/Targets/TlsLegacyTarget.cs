using DbTls.Policy;

namespace DbTls.Fuzz.Targets;

/// <summary>The same first flight through the BouncyCastle client dbtls uses when TLS 1.0/1.1 is enabled.</summary>
internal sealed class TlsLegacyTarget : TlsFlightTarget
{
    public override string Name => "tls-legacy";

    public override string Reaches => "TlsClient.AuthenticateAsync → LegacyTls (BouncyCastle TlsClientProtocol, LegacyTlsStream, LegacyTlsFailures)";

    protected override TlsPolicy Policy { get; } = new()
    {
        Encryption = EncryptionMode.Required,
        Verification = VerificationLevel.None,
        MinProtocol = TlsProtocolVersion.Tls10,
        MaxProtocol = TlsProtocolVersion.Tls12,
    };
}
