using DbTls.Transports;
using DbTls.Wire.Tds;

namespace DbTls.Scan;

/// <summary>
/// Which protocol a port speaks when none was given: an answer 'S' or 'N' to an SSLRequest is PostgreSQL, a
/// PRELOGIN answer is SQL Server; anything else is scanned as TLS from the first byte (MongoDB's implicit TLS and
/// TDS 8.0 strict look the same until after the handshake). Each question is one fresh connection.
/// </summary>
internal static class ProtocolDetection
{
    public static async Task<ScanProtocol> DetectAsync(ScanSession session, CancellationToken cancellationToken)
    {
        var answer = await session.FactAsync(ScanEntry.PostgresSslAnswerAsync, cancellationToken).ConfigureAwait(false);
        if (answer?.Kind is SslRequestAnswerKind.Accepted or SslRequestAnswerKind.Refused)
        {
            return ScanProtocol.Postgres;
        }

        var prelogin = await session.FactAsync((t, ct) => ScanEntry.TdsPreLoginAsync(t, TdsTransport.ClientPreLogin(PreLoginEncryption.On), ct), cancellationToken).ConfigureAwait(false);
        return prelogin is not null ? ScanProtocol.Tds : ScanProtocol.Tls;
    }
}
