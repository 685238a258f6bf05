using DbTls.Transports;
using DbTls.Wire.Tds;

namespace DbTls.Scan;

/// <summary>
/// What a SQL Server does before TLS: its PRELOGIN answer to each ENCRYPTION value a client can send (the MS-TDS
/// 2.2.6.5 table, from which forced encryption, login-only encryption and plaintext follow), its version, the
/// FEDAUTHREQUIRED and INSTOPT answers, and whether TDS 8.0 strict takes a ClientHello.
/// </summary>
internal static class TdsFacts
{
    private static readonly PreLoginEncryption[] Asked = [PreLoginEncryption.Off, PreLoginEncryption.On, PreLoginEncryption.NotSupported, PreLoginEncryption.Required];

    public static async Task<TdsScanFacts> GatherAsync(ScanSession session, CancellationToken cancellationToken)
    {
        // The ON request also asks FEDAUTHREQUIRED: a server answers that option only when the client sent it.
        var answers = Asked.Select(e => session.FactAsync((t, ct) => ScanEntry.TdsPreLoginAsync(t, Request(e), ct), cancellationToken)).ToArray();
        var strict = ProtocolFacts.AcceptsAsync(session, ScanProtocol.TdsStrict, ScanEntry.Alpn(ScanProtocol.TdsStrict), cancellationToken);
        var facts = new TdsScanFacts();
        var byAsked = new Dictionary<PreLoginEncryption, PreLoginMessage?>();
        for (var i = 0; i < Asked.Length; i++)
        {
            var message = await answers[i].ConfigureAwait(false);
            byAsked[Asked[i]] = message;
            facts.EncryptionAnswers[ScanEntry.EncryptionName(Asked[i])] = message is null ? "no answer" : ScanEntry.EncryptionName(message.Encryption);
            facts.ServerVersion ??= message?.Version?.ToString();
        }

        facts.Strict = await strict.ConfigureAwait(false);
        var off = byAsked[PreLoginEncryption.Off]?.Encryption;
        var notSupported = byAsked[PreLoginEncryption.NotSupported]?.Encryption;
        facts.ForcedEncryption = byAsked[PreLoginEncryption.Off] is null ? null : off == PreLoginEncryption.Required;
        facts.LoginOnlyEncryption = byAsked[PreLoginEncryption.Off] is null ? null : off == PreLoginEncryption.Off;
        facts.PlaintextAllowed = byAsked[PreLoginEncryption.NotSupported] is null ? null : notSupported == PreLoginEncryption.NotSupported;
        if (byAsked[PreLoginEncryption.On] is { } on)
        {
            facts.FedAuthRequired = on.FedAuthRequired is { } fedAuth ? $"0x{fedAuth:X2}" : null;
            facts.InstanceAccepted = on.Instance is { Length: > 0 } instance ? instance[0] == 0 : null;
        }

        return facts;
    }

    private static PreLoginMessage Request(PreLoginEncryption encryption) => encryption == PreLoginEncryption.On
        ? TdsTransport.ClientPreLogin(encryption) with { FedAuthRequired = 1 }
        : TdsTransport.ClientPreLogin(encryption);
}
