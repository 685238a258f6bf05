namespace DbTls.Scan.Probe;

/// <summary>
/// One probe: a fresh connection through the protocol's way in, one ClientHello, and the server's answer read up to
/// the point that decides it. The connection is dropped there; no handshake is completed.
/// </summary>
internal static class TlsProbe
{
    public static async Task<ProbeReply> RunAsync(ScanTarget target, ScanProtocol protocol, ClientHelloSpec spec, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        ProbeChannel channel;
        try
        {
            channel = await ScanEntry.OpenAsync(target, protocol, deadline.Token).ConfigureAwait(false);
        }
        catch (ScanEntryException ex)
        {
            return ProbeReply.Fault(ProbeReplyKind.NoEntry, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeReply.Fault(ProbeReplyKind.NoEntry, $"no connection through the {ScanProtocols.Name(protocol)} way in within {timeout.TotalSeconds:0.###} s");
        }

        await using (channel.ConfigureAwait(false))
        {
            var buffer = new byte[16 * 1024];
            var received = 0;
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
                        return ServerFlightParser.AtEnd(buffer.AsSpan(0, received), spec.WantCertificate);
                    }

                    received += read;
                    if (ServerFlightParser.TryParse(buffer.AsSpan(0, received), spec.WantCertificate, out var reply))
                    {
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
                var reply = ServerFlightParser.AtEnd(buffer.AsSpan(0, received), spec.WantCertificate);
                return reply.Kind == ProbeReplyKind.Truncated && ex is DbTls.Diagnostics.DbTlsException
                    ? reply with { Detail = ex.Message }
                    : reply;
            }
        }
    }
}
