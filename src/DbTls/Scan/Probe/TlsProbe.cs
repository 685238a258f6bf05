using DbTls.Diagnostics;
using System.Diagnostics;

namespace DbTls.Scan.Probe;

/// <summary>How long a probe may take: to get through the way in, and from the ClientHello to a decisive answer.</summary>
internal readonly record struct ProbeLimits(TimeSpan Entry, TimeSpan Answer);

/// <summary>
/// One probe: a connection through the protocol's way in (fresh, or opened ahead by the session), one ClientHello,
/// and the server's answer read up to the point that decides it. The connection is dropped there; no handshake is
/// completed.
/// </summary>
internal static class TlsProbe
{
    /// <param name="open">Gives the connection that takes the ClientHello (the way in already done).</param>
    /// <param name="answered">Told how long a decisive answer took, so that the session can adapt later limits.</param>
    public static async Task<ProbeReply> RunAsync(
        Func<CancellationToken, Task<ProbeChannel>> open, ScanProtocol protocol, ClientHelloSpec spec, ProbeLimits limits, Action<TimeSpan>? answered, CancellationToken cancellationToken)
    {
        ProbeChannel channel;
        using (var entry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            entry.CancelAfter(limits.Entry);
            try
            {
                channel = await open(entry.Token).ConfigureAwait(false);
            }
            catch (ScanEntryException ex)
            {
                return ProbeReply.Fault(ProbeReplyKind.NoEntry, ex.Message) with { EntryCode = ex.Code };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ProbeReply.Fault(ProbeReplyKind.NoEntry, $"no connection through the {ScanProtocols.Name(protocol)} way in within {limits.Entry.TotalSeconds:0.###} s")
                    with { EntryCode = FindingCodes.ScanNoAnswer };
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.Answer);
        var timeout = limits.Answer;
        await using (channel.ConfigureAwait(false))
        {
            var buffer = new byte[16 * 1024];
            var received = 0;
            var clock = Stopwatch.StartNew();
            try
            {
                await channel.Tls.WriteAsync(ClientHelloBuilder.Build(spec), deadline.Token).ConfigureAwait(false);
                await channel.Tls.FlushAsync(deadline.Token).ConfigureAwait(false);
                while (true)
                {
                    if (received == buffer.Length)
                    {
                        // One byte past the cap lets the parser say "oversized" instead of waiting for more.
                        Array.Resize(ref buffer, Math.Min(buffer.Length * 2, ServerFlightParser.MaxFlight + 1));
                    }

                    var read = await channel.Tls.ReadAsync(buffer.AsMemory(received), deadline.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        answered?.Invoke(clock.Elapsed);
                        return ServerFlightParser.AtEnd(buffer.AsSpan(0, received), spec.WantCertificate);
                    }

                    received += read;
                    if (ServerFlightParser.TryParse(buffer.AsSpan(0, received), spec.WantCertificate, out var reply))
                    {
                        answered?.Invoke(clock.Elapsed);
                        return reply;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return received == 0
                    ? ProbeReply.Fault(ProbeReplyKind.Silent, $"the server sent nothing within {timeout.TotalSeconds:0.###} s of the ClientHello")
                    : ServerFlightParser.AtEnd(buffer.AsSpan(0, received), spec.WantCertificate) is { Kind: not ProbeReplyKind.Truncated } partial
                        ? partial
                        : ProbeReply.Fault(ProbeReplyKind.Truncated, $"the server stopped after {received} byte(s) and sent nothing more within {timeout.TotalSeconds:0.###} s");
            }
            catch (Exception ex) when (ex is IOException or DbTls.Diagnostics.DbTlsException or InvalidDataException)
            {
                // A reset, or a TDS packet the framing refuses: what arrived before it still decides.
                // A framing refusal (the way in delivered something that is not TLS) is an invalid answer, not a
                // close: without this an error packet where TLS should be would read as "closed without answering".
                var reply = ServerFlightParser.AtEnd(buffer.AsSpan(0, received), spec.WantCertificate);
                return ex is DbTls.Diagnostics.DbTlsException && reply.Kind is ProbeReplyKind.Truncated or ProbeReplyKind.Closed
                    ? ProbeReply.Fault(ProbeReplyKind.Malformed, ex.Message)
                    : reply;
            }
        }
    }
}
