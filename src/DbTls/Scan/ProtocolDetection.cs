using DbTls.Scan.Probe;
using DbTls.Transports;
using DbTls.Wire.Tds;

namespace DbTls.Scan;

/// <summary>What each detection question got, and the protocol they add up to (null when none answered as a database does).</summary>
internal sealed record DetectionResult(ScanProtocol? Protocol, bool SslRequestAnswered, bool PreLoginAnswered, bool TlsAnswered, bool MongoAnswered);

/// <summary>
/// Which protocol a port speaks when none was given. Four questions go out at once, each on its own connection
/// and under a short limit: an SSLRequest (an 'S' or 'N' is PostgreSQL), a PRELOGIN (a PRELOGIN answer is SQL
/// Server), a plaintext MongoDB hello (a reply is MongoDB without TLS) and a TLS 1.2 ClientHello offering ALPN
/// <c>tds/8.0</c> (a ServerHello choosing it is TDS 8.0 strict; any TLS answer is TLS first). Each server answers
/// the others' questions with a close or an error within one round trip, so the limit only runs out on a server
/// that is silent to everything (a plaintext MongoDB stays silent to the 8-byte SSLRequest, so its positive
/// hello answer decides at once). A TLS-first port is then asked for a hello inside TLS, which tells MongoDB
/// from other TLS.
/// </summary>
internal static class ProtocolDetection
{
    /// <summary>The limit for one detection question; a database answers these within one round trip.</summary>
    private static readonly TimeSpan QuestionLimit = TimeSpan.FromSeconds(2);

    /// <summary>The detected protocol, or null when nothing answered as a database or a TLS server does (<c>scan.protocol-unknown</c>).</summary>
    public static async Task<ScanProtocol?> DetectAsync(ScanSession session, CancellationToken cancellationToken) =>
        (await DetectDetailedAsync(session, cancellationToken).ConfigureAwait(false)).Protocol;

    /// <summary>What <c>scan.protocol-unknown</c> says: the four questions and the limit they had.</summary>
    internal static string Unanswered(ScanOptions options) =>
        $"nothing on this port answered as PostgreSQL (SSLRequest), SQL Server (PRELOGIN), MongoDB (hello) or a TLS server (ClientHello) within {(options.ProbeTimeout < QuestionLimit ? options.ProbeTimeout : QuestionLimit).TotalSeconds:0.#} s";

    public static async Task<DetectionResult> DetectDetailedAsync(ScanSession session, CancellationToken cancellationToken)
    {
        var limit = session.Options.ProbeTimeout < QuestionLimit ? session.Options.ProbeTimeout : QuestionLimit;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(limit);
        // PostgreSQL answers the SSLRequest with one byte and waits: an 'S' followed at once by more bytes is a banner
        // that happens to start with S (SSH-2.0-..., SMTP's greeting is 220 but others vary), not a postmaster.
        var postgres = Ask(session, async (t, ct) => await ScanEntry.PostgresSslAnswerAsync(t, ct).ConfigureAwait(false) is { Kind: SslRequestAnswerKind.Accepted or SslRequestAnswerKind.Refused, UnencryptedBytesAfter: 0 }, stop.Token);
        var tds = Ask(session, async (t, ct) => (await ScanEntry.TdsPreLoginAsync(t, TdsTransport.ClientPreLogin(PreLoginEncryption.On), ct).ConfigureAwait(false)) is not null, stop.Token);
        var mongo = Ask(session, async (t, ct) => (await MongoFacts.PlaintextHelloAsync(t, ct).ConfigureAwait(false)).Answered, stop.Token);
        var tls = TlsFirstAsync(session, stop.Token);
        var pending = new List<Task> { postgres, tds, mongo, tls };
        while (pending.Count > 0)
        {
            pending.Remove(await Task.WhenAny(pending).ConfigureAwait(false));
            var decided = postgres.IsCompletedSuccessfully && postgres.Result ? ScanProtocol.Postgres
                : tds.IsCompletedSuccessfully && tds.Result ? ScanProtocol.Tds
                : mongo.IsCompletedSuccessfully && mongo.Result ? ScanProtocol.Mongo
                // A TLS answer decides only once SSLRequest and PRELOGIN said no: SQL Server 2022 answers both PRELOGIN and a ClientHello.
                : tls.IsCompletedSuccessfully && tls.Result is { } first && postgres.IsCompleted && tds.IsCompleted ? first
                : (ScanProtocol?)null;
            if (decided is { } protocol)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(pending).ConfigureAwait(false);
                if (protocol == ScanProtocol.Tls && await Ask(session, async (t, ct) => (await MongoFacts.HelloInsideTlsAsync(t, ct).ConfigureAwait(false)).Answered, cancellationToken, limit).ConfigureAwait(false))
                {
                    protocol = ScanProtocol.Mongo;
                }

                return Result(protocol);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Result(null);

        DetectionResult Result(ScanProtocol? protocol) => new(protocol, postgres.Result, tds.Result, tls.Result is not null, mongo.Result);
    }

    /// <summary>A TLS 1.2 ClientHello with every suite and ALPN tds/8.0: strict TDS, other TLS, or (null) no TLS answer.</summary>
    private static async Task<ScanProtocol?> TlsFirstAsync(ScanSession session, CancellationToken cancellationToken)
    {
        try
        {
            var spec = session.Spec(TlsVersions.Tls12, CipherSuite.ForVersion(TlsVersions.Tls12).Select(s => s.Id)) with { Alpn = [ScanEntry.TdsAlpn] };
            var reply = await session.ProbeAsync(ScanProtocol.Tls, spec, cancellationToken, urgent: true).ConfigureAwait(false);
            return reply.Kind switch
            {
                ProbeReplyKind.ServerHello when reply.Alpn == ScanEntry.TdsAlpn => ScanProtocol.TdsStrict,
                // A HelloRetryRequest or an alert is a TLS server too (one that wants TLS 1.3, or none of these suites).
                ProbeReplyKind.ServerHello or ProbeReplyKind.HelloRetryRequest or ProbeReplyKind.Alert => ScanProtocol.Tls,
                _ => null,
            };
        }
        catch (OperationCanceledException)
        {
            // Out of time, or another question decided first.
            return null;
        }
    }

    /// <summary>One yes/no question on a fresh connection; no answer in time, a failed way in or a cancellation is "no".</summary>
    private static async Task<bool> Ask(ScanSession session, Func<ScanTarget, CancellationToken, Task<bool>> question, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (limit is { } l)
            {
                deadline.CancelAfter(l);
            }

            // Every question is on the way to the answer: none waits behind another for a slot.
            return await session.FactAsync(question, deadline.Token, urgent: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
