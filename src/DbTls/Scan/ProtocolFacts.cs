using DbTls.Scan.Probe;
using DbTls.Transports;
using DbTls.Wire.Tds;

namespace DbTls.Scan;

/// <summary>The database facts next to the TLS ones: what the server does before TLS and on its other TLS path.</summary>
internal static class ProtocolFacts
{
    public static async Task GatherAsync(ScanSession session, ScanReport report, CancellationToken cancellationToken)
    {
        switch (session.Protocol)
        {
            case ScanProtocol.Postgres or ScanProtocol.PostgresDirect:
                var answer = session.FactAsync(ScanEntry.PostgresSslAnswerAsync, cancellationToken);
                var startup = session.FactAsync(ScanEntry.PostgresPlaintextStartupAsync, cancellationToken);
                var direct = AcceptsAsync(session, ScanProtocol.PostgresDirect, cancellationToken);
                report.Postgres = new PostgresScanFacts
                {
                    SslRequestAnswer = (await answer.ConfigureAwait(false))?.Display,
                    PlaintextStartupAccepted = await startup.ConfigureAwait(false) switch
                    {
                        (byte)'R' => true,
                        (byte)'E' => false,
                        _ => null,
                    },
                    DirectTls = await direct.ConfigureAwait(false),
                };
                break;
            case ScanProtocol.Tds or ScanProtocol.TdsStrict:
                var asked = new[] { PreLoginEncryption.Off, PreLoginEncryption.On, PreLoginEncryption.NotSupported };
                var answers = asked.Select(e => session.FactAsync((t, ct) => ScanEntry.TdsPreLoginAsync(t, TdsTransport.ClientPreLogin(e), ct), cancellationToken)).ToArray();
                var strict = AcceptsAsync(session, ScanProtocol.TdsStrict, cancellationToken);
                var facts = new TdsScanFacts();
                for (var i = 0; i < asked.Length; i++)
                {
                    var message = await answers[i].ConfigureAwait(false);
                    facts.EncryptionAnswers[ScanEntry.EncryptionName(asked[i])] = message is null ? "no answer" : ScanEntry.EncryptionName(message.Encryption);
                    facts.ServerVersion ??= message?.Version?.ToString();
                }

                facts.Strict = await strict.ConfigureAwait(false);
                report.Tds = facts;
                break;
        }
    }

    /// <summary>Whether the path takes a ClientHello: TLS 1.3 first, then TLS 1.2, each offering every suite of its version.</summary>
    private static async Task<bool> AcceptsAsync(ScanSession session, ScanProtocol path, CancellationToken cancellationToken)
    {
        foreach (var version in new[] { TlsVersions.Tls13, TlsVersions.Tls12 })
        {
            var spec = session.Spec(version, CipherSuite.ForVersion(version).Select(s => s.Id)) with { Alpn = ScanEntry.Alpn(path) };
            var reply = await session.ProbeAsync(path, spec, cancellationToken).ConfigureAwait(false);
            if (reply.Accepted)
            {
                return true;
            }
        }

        return false;
    }
}
