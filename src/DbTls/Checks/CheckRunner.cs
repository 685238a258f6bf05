using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Tls;

namespace DbTls.Checks;

/// <summary>What a check makes of each way a run can end; the rungs a check leaves null fall to the next one.</summary>
internal sealed class FailureLadder
{
    /// <summary>The deadline fired: whatever broke after that (a cancelled read, a torn-down handshake), the cause is the timeout.</summary>
    public required Func<Finding> Timeout { get; init; }

    /// <summary>The TLS handshake failed (its report is kept); null lets <see cref="Refusal"/> take it.</summary>
    public Func<TlsHandshakeException, Finding>? TlsHandshake { get; init; }

    /// <summary>A finding the code raised on purpose: the server, the network or the configuration said no.</summary>
    public required Func<DbTlsException, Finding> Refusal { get; init; }

    /// <summary>The socket broke outside any finding (IOException, SocketException); null makes that an unexpected error.</summary>
    public Func<Exception, Finding>? BrokenConnection { get; init; }

    /// <summary>Removes the connection's secrets from an exception text before it reaches a finding.</summary>
    public required Func<string, string> Scrub { get; init; }
}

/// <summary>
/// The skeleton every check shares: one deadline over the whole run and the ladder from what ended it to the
/// finding that decides the verdict. Only the caller's own cancellation escapes as an exception.
/// </summary>
internal static class CheckRunner
{
    /// <returns>The failure that decides the verdict, or null when the run succeeded (or returned none).</returns>
    public static async Task<Finding?> RunAsync(TimeSpan timeout, Func<CancellationToken, Task<Finding?>> body, FailureLadder ladder, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await body(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ladder.Timeout();
        }
        catch (TlsHandshakeException ex) when (ladder.TlsHandshake is not null)
        {
            return ladder.TlsHandshake(ex);
        }
        catch (DbTlsException ex)
        {
            return ladder.Refusal(ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException && ladder.BrokenConnection is not null && !cancellationToken.IsCancellationRequested)
        {
            return ladder.BrokenConnection(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return CheckConclusion.Unexpected(ladder.Scrub(ex.Message));
        }
    }
}
