using System.Collections.Immutable;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Policy;
using DbTls.Tls;
using DbTls.Transports;
using DbTls.Wire.Postgres;

namespace DbTls.Checks;

internal static partial class PostgresCheck
{
    /// <summary>How one attempt starts (libpq's ENC_PLAINTEXT / ENC_SSL with sslnegotiation postgres or direct).</summary>
    internal enum EncryptionMethod
    {
        Plaintext,
        SslRequest,
        Direct,
    }

    internal static string MethodName(EncryptionMethod method) => method switch
    {
        EncryptionMethod.SslRequest => "sslrequest",
        EncryptionMethod.Direct => "direct",
        _ => "none",
    };

    /// <summary>
    /// The encryption methods libpq tries, in order (fe-connect.c init_allowed_encryption_methods and
    /// select_next_encryption_method, PostgreSQL 17/18): disable → plaintext; allow → plaintext, then
    /// TLS; prefer → TLS, then plaintext; require and verify-* → TLS only. Unix-domain sockets never
    /// use TLS.
    /// </summary>
    internal static IReadOnlyList<EncryptionMethod> EncryptionMethods(PostgresConnectionSpec spec, bool unixSocket)
    {
        if (unixSocket)
        {
            return [EncryptionMethod.Plaintext];
        }

        var policy = spec.Tls;
        var tls = spec.Negotiation == PostgresNegotiation.Direct || policy.Encryption == EncryptionMode.TlsFirst
            ? EncryptionMethod.Direct
            : EncryptionMethod.SslRequest;
        return policy.Encryption switch
        {
            EncryptionMode.Disabled => [EncryptionMethod.Plaintext],
            EncryptionMode.Opportunistic when policy.OpportunisticOrder == OpportunisticOrder.PlaintextFirst => [EncryptionMethod.Plaintext, tls],
            EncryptionMode.Opportunistic => [tls, EncryptionMethod.Plaintext],
            _ => [tls],
        };
    }

    /// <summary>Direct TLS needs ALPN "postgresql" (the server refuses a direct handshake without it).</summary>
    internal static TlsPolicy EffectivePolicy(TlsPolicy policy, EncryptionMethod method) =>
        method == EncryptionMethod.Direct && (policy.Alpn.IsDefaultOrEmpty || !policy.Alpn.Contains(PostgresProtocol.Alpn))
            ? policy with { Alpn = (policy.Alpn.IsDefault ? ImmutableArray<string>.Empty : policy.Alpn).Add(PostgresProtocol.Alpn) }
            : policy;

    /// <summary>Runs libpq's connection sequence, with its fallbacks, recording every attempt.</summary>
    private static async Task ConnectAsync(CheckRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var endpoints = await PostgresEndpoints.ResolveAsync(spec.Host, spec.HostAddress, spec.Port, cancellationToken).ConfigureAwait(false);
        run.OverUnixSocket = endpoints[0] is UnixDomainSocketEndPoint;
        var methods = EncryptionMethods(spec, run.OverUnixSocket);
        // The only door for credentials (PostgresConnection.SendCredentialAsync) stays shut on
        // plaintext unless plaintext is one of the methods this policy allows.
        var plaintextAllowed = methods.Contains(EncryptionMethod.Plaintext);
        var request = new PostgresLoginRequest(spec.User, spec.Database, spec.ApplicationName, spec.Password, spec.ChannelBinding);

        PostgresConnection? connection = null;
        try
        {
            for (var i = 0; i < methods.Count; i++)
            {
                var method = methods[i];
                var next = i + 1 < methods.Count ? methods[i + 1] : (EncryptionMethod?)null;
                run.Phase = "while connecting";
                connection ??= await PostgresConnection.OpenAsync(endpoints, plaintextAllowed, cancellationToken).ConfigureAwait(false);
                var attempt = run.BeginAttempt(MethodName(method));
                run.StartupSent = false;
                try
                {
                    if (method != EncryptionMethod.Plaintext)
                    {
                        if (method == EncryptionMethod.SslRequest)
                        {
                            run.Phase = "waiting for the answer to the SSLRequest";
                            var answer = await connection.RequestSslAsync(cancellationToken).ConfigureAwait(false);
                            attempt.Report.ServerAnswer = answer.Display;
                            if (answer.Kind == SslRequestAnswerKind.Refused)
                            {
                                if (next == EncryptionMethod.Plaintext)
                                {
                                    // libpq keeps the socket and sends the StartupMessage in plaintext on it.
                                    Fallback(attempt, "the server refused TLS ('N'); libpq continues without TLS on the same connection");
                                    run.PlaintextReason = $"the server refused TLS and sslmode={spec.SslMode} continued without it";
                                    continue;
                                }

                                throw new DbTlsException(FindingCodes.ServerTlsUnsupported,
                                    "the server does not support SSL, but SSL was required: it answered 'N' to the SSLRequest, and no StartupMessage was sent");
                            }
                        }

                        try
                        {
                            run.Phase = "during the TLS handshake";
                            var session = await connection.StartTlsAsync(EffectivePolicy(spec.Tls, method), new TlsTarget(spec.Host), cancellationToken).ConfigureAwait(false);
                            run.Report.Tls = session.Report;
                            run.TlsFindings = session.Findings;
                            run.Report.Negotiation.Encrypted = true;
                        }
                        catch (TlsHandshakeException ex) when (!cancellationToken.IsCancellationRequested)
                        {
                            run.Report.Tls = ex.Report;
                            if (next == EncryptionMethod.Plaintext && spec.Tls.FallBackOnHandshakeFailure)
                            {
                                Fallback(attempt, $"TLS failed ({ex.Message}); libpq closes the connection and retries without TLS");
                                run.PlaintextReason = $"the TLS handshake failed and sslmode={spec.SslMode} fell back to plaintext";
                                await connection.DisposeAsync().ConfigureAwait(false);
                                connection = null;
                                continue;
                            }

                            if (method == EncryptionMethod.Direct && ex.Code == FindingCodes.ServerClosed)
                            {
                                // What a server before PostgreSQL 17 does with a ClientHello: it reads it as a bad startup packet and hangs up.
                                throw new TlsHandshakeException(ex.Code,
                                    $"{ex.Message}; servers before PostgreSQL 17 do not accept direct TLS (sslnegotiation=direct) and close the connection like this",
                                    ex.Facts,
                                    "Use sslnegotiation=postgres (the default) for servers before PostgreSQL 17, or check that the port belongs to PostgreSQL 17 or later.",
                                    ex);
                            }

                            throw;
                        }
                    }
                    else if (run.PlaintextReason is null)
                    {
                        run.PlaintextReason = run.OverUnixSocket
                            ? "the connection uses a Unix-domain socket, over which libpq never uses TLS (sslmode is ignored)"
                            : $"sslmode={spec.SslMode} tries plaintext first";
                    }

                    run.Login = new PostgresLoginResult();
                    run.StartupSent = true;
                    run.Phase = "during the login (StartupMessage sent)";
                    await PostgresLogin.RunAsync(connection, request, run.Login, cancellationToken).ConfigureAwait(false);
                    attempt.Conclude(AttemptOutcome.Ok, run.Login.Succeeded ? "logged in" : run.Login.Detail);
                    if (run.Login.Succeeded)
                    {
                        await ReadServerViewAsync(run, connection, cancellationToken).ConfigureAwait(false);
                        await connection.TerminateAsync().ConfigureAwait(false);
                    }

                    return;
                }
                catch (PostgresServerErrorException ex) when (ex.BeforeAuthenticationOk && next is not null && !cancellationToken.IsCancellationRequested)
                {
                    // libpq's CONNECTION_FAILED(): an ErrorResponse before AuthenticationOk makes it
                    // reconnect with the next method (prefer: without TLS; allow: with TLS).
                    Fallback(attempt, $"the server rejected the connection ({ex.Error.Describe()}); libpq reconnects {(next == EncryptionMethod.Plaintext ? "without" : "with")} TLS");
                    run.PlaintextReason = next == EncryptionMethod.Plaintext
                        ? $"the server rejected the TLS connection and sslmode={spec.SslMode} retried without TLS"
                        : null;
                    await connection!.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
                catch (Exception ex) when (attempt.IsOpen)
                {
                    attempt.Report.ServerAnswer ??= method == EncryptionMethod.SslRequest ? connection?.SslAnswer?.Display : null;
                    attempt.Conclude(AttemptOutcome.Failed, ex is DbTlsException ? ex.Message : ex is OperationCanceledException ? "timed out" : "an unexpected error");
                    throw;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Fallback(Attempt attempt, string detail) => attempt.Conclude(AttemptOutcome.Fallback, detail);

    /// <summary>
    /// Asks pg_stat_ssl how the server sees the session. Anything short of a protocol violation only
    /// costs the view, never the verdict.
    /// </summary>
    private static async Task ReadServerViewAsync(CheckRun run, PostgresConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            run.Phase = "reading pg_stat_ssl";
            run.View = await PostgresSslView.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            run.ViewProblem = run.View.Problem;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.ViewProblem = "the server did not answer the query in time";
        }
        catch (DbTlsException ex) when (ex.Code == FindingCodes.ServerClosed)
        {
            run.ViewProblem = ex.Message;
        }
    }
}
