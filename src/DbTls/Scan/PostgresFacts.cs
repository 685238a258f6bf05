using System.Buffers.Binary;
using DbTls.Diagnostics;
using DbTls.Transports;
using DbTls.Wire.Postgres;

namespace DbTls.Scan;

/// <summary>
/// What a PostgreSQL server does besides its TLS: its SSLRequest answer, whether it takes direct TLS (17+) and
/// insists on ALPN there, and whether pg_hba.conf lets a session in without TLS.
/// </summary>
internal static class PostgresFacts
{
    /// <summary>
    /// The role the plaintext startup names: the one every cluster has, so a pg_hba.conf rule for "all" or for the
    /// superuser decides. No password is sent: the connection ends at the server's first message.
    /// </summary>
    public const string StartupUser = "postgres";

    public static async Task<PostgresScanFacts> GatherAsync(ScanSession session, CancellationToken cancellationToken)
    {
        var answer = SslRequestAnswerAsync(session, cancellationToken);
        var startup = session.FactAsync(PlaintextStartupAsync, cancellationToken);
        var direct = ProtocolFacts.AcceptsAsync(session, ScanProtocol.PostgresDirect, ScanEntry.Alpn(ScanProtocol.PostgresDirect), cancellationToken);
        var withoutAlpn = session.FactAsync(DirectWithoutAlpnServedAsync, cancellationToken);
        var facts = new PostgresScanFacts
        {
            SslRequestAnswer = (await answer.ConfigureAwait(false))?.Display,
            DirectTls = await direct.ConfigureAwait(false),
            PlaintextStartupUser = StartupUser,
        };
        var directWithoutAlpn = await withoutAlpn.ConfigureAwait(false);
        facts.DirectTlsAlpnEnforced = facts.DirectTls && directWithoutAlpn is { } served ? !served : null;
        if (await startup.ConfigureAwait(false) is { } plaintext)
        {
            facts.PlaintextStartupAccepted = plaintext.Accepted;
            facts.PlaintextStartupAnswer = plaintext.Answer;
        }

        return facts;
    }

    /// <summary>
    /// The server's answer to an SSLRequest: the one the scan's first probe connection got when the scan goes that
    /// way, else one asked on a connection of its own.
    /// </summary>
    private static async Task<SslRequestAnswer?> SslRequestAnswerAsync(ScanSession session, CancellationToken cancellationToken) =>
        session.Protocol == ScanProtocol.Postgres && await session.FirstSslRequestAnswer.WaitAsync(cancellationToken).ConfigureAwait(false) is { } seen
            ? seen
            : await session.FactAsync(ScanEntry.PostgresSslAnswerAsync, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Whether direct TLS without ALPN leads to a session. PostgreSQL 17+ completes that handshake and only then
    /// drops the connection (it checks ALPN after the handshake), so a ServerHello proves nothing: this does the
    /// full handshake, sends a startup (no password) inside TLS, and a server that enforces ALPN closes instead
    /// of answering it. The certificate is not judged here; only the startup's role name is sent.
    /// </summary>
    /// <exception cref="ScanEntryException">No connection.</exception>
    public static async Task<bool> DirectWithoutAlpnServedAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        ScanTlsSession? session;
        try
        {
            session = await ScanTlsSession.OpenAsync(target, ScanProtocol.PostgresDirect, [], cancellationToken).ConfigureAwait(false);
        }
        catch (ScanEntryException ex) when (ex.Code != FindingCodes.NetUnreachable)
        {
            return false;
        }

        if (session is null)
        {
            return false;
        }

        await using (session.ConfigureAwait(false))
        {
            try
            {
                await session.Stream.WriteAsync(Startup(), cancellationToken).ConfigureAwait(false);
                var one = new byte[1];
                return await session.Stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 1
                    && one[0] is BackendMessageType.Authentication or BackendMessageType.ErrorResponse;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// A StartupMessage without SSLRequest and the server's first message: an authentication request means
    /// pg_hba.conf has a non-TLS rule for this role (accepted); SQLSTATE 28000 before authentication is pg_hba.conf
    /// refusing it ("no pg_hba.conf entry ... no encryption", or a reject rule); any other error decides nothing.
    /// </summary>
    /// <exception cref="ScanEntryException">No connection, or not a PostgreSQL answer.</exception>
    public static async Task<PlaintextStartup> PlaintextStartupAsync(ScanTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await ScanEntry.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.Stream.WriteAsync(Startup(), cancellationToken).ConfigureAwait(false);
            var message = await new BackendMessageReader(connection.Stream).ReadMessageAsync(ReadPhase.Authentication, cancellationToken).ConfigureAwait(false);
            if (message.Type == BackendMessageType.Authentication && message.Body.Length >= 4)
            {
                return new PlaintextStartup(true, $"authentication request ({AuthenticationName(BinaryPrimitives.ReadInt32BigEndian(message.Body.Span))})");
            }

            if (message.Type == BackendMessageType.ErrorResponse)
            {
                var error = PostgresServerError.Parse(message);
                return new PlaintextStartup(error.SqlState == "28000" ? false : null, $"error {error.Describe()}");
            }

            throw new ScanEntryException($"the server answered a startup with message {BackendMessageType.Describe(message.Type)}, not an authentication request or an error");
        }
        catch (DbTlsException ex)
        {
            throw new ScanEntryException(ex.Message, ex.Code);
        }
        catch (IOException ex)
        {
            throw new ScanEntryException($"the connection broke after the startup message: {ex.Message}");
        }
    }

    private static byte[] Startup() =>
        FrontendMessages.Startup([new("user", StartupUser), new("database", "postgres"), new("application_name", "dbtls scan")]);

    private static string AuthenticationName(int code) => code switch
    {
        0 => "none: trust",
        3 => "cleartext password",
        5 => "MD5",
        7 => "GSSAPI",
        9 => "SSPI",
        10 => "SASL",
        _ => $"code {code}",
    };
}

/// <summary>The answer to a startup without TLS: accepted (true), refused by pg_hba.conf (false) or undecided (null), and what the server said.</summary>
internal sealed record PlaintextStartup(bool? Accepted, string Answer);
