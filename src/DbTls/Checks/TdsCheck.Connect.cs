using System.Collections.Immutable;
using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Net;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tls;
using DbTls.Tls.Records;
using DbTls.Transports;
using DbTls.Wire.Tds;

using Scopes = DbTls.Reports.NegotiationScopes;

namespace DbTls.Checks;

internal static partial class TdsCheck
{
    /// <summary>
    /// One connection in the driver's order: TCP; under TDS 8.0 TLS first; PRELOGIN; the driver's rule
    /// for the server's ENCRYPTION answer; TLS inside PRELOGIN packets when the rule says so; LOGIN7
    /// (through TLS, or its first packet only for login-only encryption); the server's view.
    /// </summary>
    private static async Task ConnectAsync(CheckRun run, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var negotiation = run.Report.Negotiation;
        var attempt = new AttemptReport
        {
            Method = spec.TlsFirst ? "strict" : "prelogin",
            Endpoint = string.Create(CultureInfo.InvariantCulture, $"{spec.Host}:{spec.Port}"),
        };
        var tracked = new Attempt(attempt);
        run.Attempt = tracked;
        negotiation.Attempts.Add(attempt);
        negotiation.Method = attempt.Method;
        negotiation.EncryptionSent = EncryptionName((byte)spec.PreloginEncryption);

        // TCP to the first address that accepts, within the driver's connect timeout when it has one.
        await using var connection = await TcpConnector.ConnectAsync(spec.Host, spec.Port, spec.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        var raw = connection.Stream;
        TlsSession? session = null;
        try
        {
            Stream preloginStream = raw;
            if (spec.TlsFirst)
            {
                run.Phase = "during the TLS handshake of TDS 8.0 strict";
                session = await StartTlsAsync(run, raw, raw, StrictPolicy(spec.Tls), cancellationToken).ConfigureAwait(false);
                preloginStream = session.Stream;
            }

            run.Phase = spec.TlsFirst ? "during PRELOGIN inside TLS" : "during PRELOGIN";
            var answer = await ExchangePreLoginAsync(preloginStream, spec, cancellationToken).ConfigureAwait(false);
            byte? answerByte = answer.Encryption is { } value ? (byte)value : null;
            negotiation.EncryptionReceived = EncryptionName(answerByte);
            attempt.ServerAnswer = negotiation.EncryptionReceived;

            var rule = RuleFor(spec.ServerAnswers, answerByte);
            if (rule.Action == TdsAnswerAction.Fail
                || (rule.Action == TdsAnswerAction.Plaintext && spec.Tls.Encryption is EncryptionMode.Required or EncryptionMode.TlsFirst))
            {
                // The second case cannot come from the dialects' tables; it is the last guard of the rule
                // that no credential leaves in clear when the policy requires encryption.
                throw Refusal(spec, rule, answerByte);
            }

            var action = spec.TlsFirst ? TdsAnswerAction.Encrypt : rule.Action;
            if (!spec.TlsFirst && action != TdsAnswerAction.Plaintext)
            {
                run.Phase = "during the TLS handshake inside PRELOGIN packets";
                var framing = TdsTransport.WrapForTls(raw);
                var policy = WrappedPolicy(spec.Tls, rule, spec.Dialect);
                session = await StartTlsAsync(run, framing, raw, policy, cancellationToken).ConfigureAwait(false);
                framing.FinishHandshake();
                run.LoginOnlyUnverified = action == TdsAnswerAction.LoginOnly && policy.UnverifiedReason is not null;
            }

            negotiation.Scope = action switch
            {
                TdsAnswerAction.Encrypt => Scopes.Full,
                TdsAnswerAction.LoginOnly => Scopes.LoginOnly,
                _ => Scopes.None,
            };
            negotiation.Encrypted = action == TdsAnswerAction.Encrypt;
            run.EncryptNote = action == TdsAnswerAction.Encrypt && !spec.TlsFirst && rule.Note is not null
                ? $"the client sent ENCRYPTION {negotiation.EncryptionSent} and the server answered {negotiation.EncryptionReceived}: {rule.Note}"
                : null;
            run.ClearReason = action switch
            {
                TdsAnswerAction.LoginOnly => $"the client sent ENCRYPTION {negotiation.EncryptionSent} and the server answered {negotiation.EncryptionReceived}: {rule.Note ?? "only the LOGIN7 packet goes through TLS"}",
                TdsAnswerAction.Plaintext => $"the client sent ENCRYPTION {negotiation.EncryptionSent} and the server answered {negotiation.EncryptionReceived}: {rule.Note ?? $"{spec.Dialect} goes on without TLS"}",
                _ => null,
            };

            if (spec.Password is null || string.IsNullOrEmpty(spec.User))
            {
                run.LoginSkipped = spec.Password is null
                    ? "no password was given (connection string, --user with DBTLS_PASSWORD), so dbtls stopped before LOGIN7"
                    : "no user name was given, so dbtls stopped before LOGIN7";
                tracked.Conclude(AttemptOutcome.Ok, $"{(session is null ? "PRELOGIN" : "TLS")} done; stopped before LOGIN7");
                return;
            }

            var secure = session?.Stream ?? (Stream)raw;
            await LoginAsync(run, secure, raw, action == TdsAnswerAction.LoginOnly, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// TLS inside TDS 7.x PRELOGIN packets goes up to TLS 1.2. Measured: with TLS 1.3 in there the
    /// server's post-handshake messages (session tickets) arrive still wrapped after the client has
    /// switched to bare records, and both SqlClient and FreeTDS's tsql break on it; SQL Server itself
    /// offers TLS 1.3 only under TDS 8.0 strict. An answer the driver does not validate for (login-only
    /// TLS in SqlClient and JDBC, TrustServerCertificate) gets no verification, no pin and no CRLs.
    /// </summary>
    internal static TlsPolicy WrappedPolicy(TlsPolicy policy, TdsAnswerRule rule, string dialect)
    {
        if (policy.MinProtocol is { } min && min > TlsProtocolVersion.Tls12)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"the minimum TLS version is {min.ToDisplay()}, but TLS inside TDS 7.x PRELOGIN packets goes up to TLS 1.2 (SQL Server offers TLS 1.3 only with TDS 8.0 strict)",
                "Allow TLS 1.2, or use TDS 8.0 strict encryption (SqlClient Encrypt=Strict, JDBC encrypt=strict, FreeTDS encryption = strict) for TLS 1.3.");
        }

        var max = policy.MaxProtocol is { } limit && limit < TlsProtocolVersion.Tls12 ? limit : TlsProtocolVersion.Tls12;
        policy = policy with { MaxProtocol = max };
        if (rule.VerifiesCertificate)
        {
            return policy;
        }

        // Only a driver that verifies in general has a reason to name; with verification off anyway the generic words fit.
        var reason = policy.Verification == VerificationLevel.None ? null : $"not checked: {rule.Note ?? $"{dialect} accepts any certificate for this answer"}";
        return policy with { Verification = VerificationLevel.None, PinnedCertificatePath = null, Revocation = RevocationPolicy.None, UnverifiedReason = reason };
    }

    /// <summary>TDS 8.0: TLS 1.2 or 1.3 on the first byte, offering ALPN tds/8.0.</summary>
    internal static TlsPolicy StrictPolicy(TlsPolicy policy)
    {
        var alpn = policy.Alpn.IsDefault ? ImmutableArray<string>.Empty : policy.Alpn;
        return alpn.Contains(TdsVersions.Tds8Alpn) ? policy : policy with { Alpn = alpn.Add(TdsVersions.Tds8Alpn) };
    }

    private static async Task<TlsSession> StartTlsAsync(CheckRun run, Stream transport, ObservedStream raw, TlsPolicy policy, CancellationToken cancellationToken)
    {
        TlsSession session;
        try
        {
            session = await TlsClient.AuthenticateAsync(transport, policy, new TlsTarget(run.Spec.Host), cancellationToken).ConfigureAwait(false);
        }
        catch (TlsHandshakeException ex) when (ex.Code == FindingCodes.TlsHandshakeFailed
            && transport is TdsTlsFramingStream framing && LegacyAlertVersion(framing.FirstRecordStart) is { } legacy)
        {
            throw new TlsHandshakeException(FindingCodes.TlsProtocolVersion,
                $"the server answered the ClientHello ({(policy.MinProtocol ?? TlsProtocolVersion.Tls12).ToDisplay()} to {(policy.MaxProtocol ?? TlsProtocolVersion.Tls12).ToDisplay()}) with a handshake_failure alert in a {legacy.ToDisplay()} record, the version a server writes once it has chosen one: it chose {legacy.ToDisplay()}, below what the client allows, and found no cipher suite to go on with ({HandshakeFailures.Reason(ex)})",
                ex.Facts, inner: ex.InnerException); // not ex: the innermost DbTlsException names the finding
        }
        catch (TlsHandshakeException ex) when (ex.Code == FindingCodes.TlsHandshakeFailed && raw.SawEndOfStream && Innermost(ex.InnerException) is null
            && ex.InnerException is not TlsRecordViolationException) // a record-layer refusal is the client's, whatever the server did next
        {
            throw new TlsHandshakeException(FindingCodes.ServerClosed,
                $"the server closed the connection during the TLS handshake (after {raw.BytesRead.ToString(CultureInfo.InvariantCulture)} byte(s) from the server); its error log says why (certificate, TLS versions, encryption settings)",
                ex.Facts);
        }

        run.Report.Tls = session.Report;
        run.TlsFindings = session.Findings;
        return session;
    }

    /// <summary>
    /// The version of a server's first record when it is a fatal handshake_failure alert (RFC 5246 7.2) in a
    /// TLS 1.0 or 1.1 record. A server writes its records in the version it settled on, and handshake_failure
    /// is the alert for "no shared cipher suite" after that choice (protocol_version would be sent before it):
    /// a TLS-1.0-only server meets a TLS 1.2 ClientHello this way (measured with the BouncyCastle server of
    /// the tests, "No selectable cipher suite"). Any other first record leaves the generic classification.
    /// </summary>
    internal static TlsProtocolVersion? LegacyAlertVersion(ReadOnlySpan<byte> firstRecord)
    {
        if (!TlsAlertRecord.TryRead(firstRecord, out var alert) || alert.Header.MajorVersion != 3
            || !alert.IsFatal || alert.Description != TlsAlertRecord.HandshakeFailure)
        {
            return null;
        }

        return alert.Header.MinorVersion switch
        {
            1 => TlsProtocolVersion.Tls10,
            2 => TlsProtocolVersion.Tls11,
            _ => null,
        };
    }
}
