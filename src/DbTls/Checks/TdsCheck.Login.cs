using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Wire.Postgres;
using DbTls.Wire.Tds;

namespace DbTls.Checks;

internal static partial class TdsCheck
{
    /// <summary>Server text (error messages, program names) is untrusted: control characters go, length is capped.</summary>
    private static string Untrusted(string text, int max = 300) => PostgresServerError.Clean(text, max);

    /// <summary>
    /// LOGIN7 with SQL Server authentication, then the login response. With login-only encryption only
    /// the first LOGIN7 packet goes through TLS and everything after it, the response included, in clear
    /// on the raw connection (<paramref name="clear"/>), as SqlClient and FreeTDS do.
    /// </summary>
    private static async Task LoginAsync(CheckRun run, Stream secure, Stream clear, bool loginOnly, CancellationToken cancellationToken)
    {
        var spec = run.Spec;
        var version = spec.TlsFirst ? TdsVersions.V8_0 : TdsVersions.V7_4;
        var login = new Login7Message
        {
            TdsVersion = version,
            PacketSize = TdsPacketHeader.DefaultPacketSize,
            ClientProgramVersion = 0x01000000,
            ClientProcessId = (uint)Environment.ProcessId,
            HostName = Truncate(Environment.MachineName, 128),
            UserName = spec.User ?? "",
            Password = spec.Password,
            AppName = "dbtls",
            ServerName = Truncate(spec.Host, 128),
            LibraryName = "dbtls",
            Database = spec.Database ?? "",
        }.Encode();

        run.Phase = "sending LOGIN7";
        run.LoginSent = true;
        run.LoginSentInClear = ReferenceEquals(secure, clear);
        await TdsMessageWriter.WriteLoginAsync(secure, loginOnly ? clear : secure, login, cancellationToken).ConfigureAwait(false);
        var app = loginOnly ? clear : secure;

        run.Phase = "waiting for the answer to LOGIN7";
        var response = await ReadResponseAsync(app, "LOGIN7", loginOnly, cancellationToken).ConfigureAwait(false);
        var tokens = TdsTokenParser.Parse(response.Payload, version);
        var ack = tokens.OfType<LoginAckToken>().FirstOrDefault();
        if (ack is null)
        {
            if (tokens.OfType<MessageToken>().FirstOrDefault(t => t.IsError) is { } error)
            {
                throw new DbTlsException(FindingCodes.AuthFailed,
                    $"the server refused the login of \"{spec.User}\" with error {error.Number.ToString(CultureInfo.InvariantCulture)} (class {error.Class.ToString(CultureInfo.InvariantCulture)}); the server says: {Untrusted(error.Message)}",
                    "Check the user name and password, that SQL Server authentication (mixed mode) is enabled, and that the login may connect to the database it asks for.");
            }

            throw TdsErrors.Violation("the answer to LOGIN7 has neither a LOGINACK nor an ERROR token");
        }

        run.LoginSucceeded = true;
        run.ServerVersion = $"{Untrusted(ack.ProgramName, 100)} {ack.ServerVersion}";
        run.LoginDetail = $"logged in as \"{spec.User}\" with SQL Server authentication; TDS {TdsVersions.Describe(ack.TdsVersion)}";
        run.Attempt?.Conclude(AttemptOutcome.Ok, "logged in");

        var packetSize = tokens.OfType<EnvChangeToken>()
            .Where(t => t.ChangeType == TdsEnvChangeTypes.PacketSize)
            .Select(t => int.TryParse(t.NewValue, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0)
            .LastOrDefault(size => size is >= 512 and <= TdsPacketHeader.MaxPacketSize);
        await ReadServerViewAsync(run, app, ack.TdsVersion, packetSize > 0 ? packetSize : TdsPacketHeader.DefaultPacketSize, loginOnly, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <see cref="ServerViewQuery"/>. A server error (VIEW SERVER STATE missing) or a server that hangs
    /// up only costs the view; a malformed answer is a protocol violation like any other.
    /// </summary>
    private static async Task ReadServerViewAsync(CheckRun run, Stream app, uint version, int packetSize, bool clearAfterTls, CancellationToken cancellationToken)
    {
        run.Phase = "reading sys.dm_exec_connections";
        try
        {
            var batch = SqlBatchMessage.Create(ServerViewQuery).Encode(TdsVersions.HasAllHeaders(version));
            await TdsMessageWriter.WriteMessageAsync(app, TdsPacketType.SqlBatch, batch, cancellationToken, packetSize).ConfigureAwait(false);
            var response = await ReadResponseAsync(app, "the sys.dm_exec_connections query", clearAfterTls, cancellationToken).ConfigureAwait(false);
            var tokens = TdsTokenParser.Parse(response.Payload, version);
            if (tokens.OfType<MessageToken>().FirstOrDefault(t => t.IsError) is { } error)
            {
                run.ViewProblem = $"the server answered the query with error {error.Number.ToString(CultureInfo.InvariantCulture)}: {Untrusted(error.Message)}";
                return;
            }

            var columns = tokens.OfType<ColMetadataToken>().LastOrDefault()?.Columns;
            var row = tokens.OfType<RowToken>().FirstOrDefault();
            if (columns is null || row is null)
            {
                run.ViewProblem = "the query returned no row for this session";
                return;
            }

            string? Column(string name)
            {
                var index = columns.ToList().FindIndex(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
                return index >= 0 && index < row.Values.Count && row.Values[index] is { } value
                    ? Untrusted(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", 60)
                    : null;
            }

            run.View = new TdsServerView(Column("encrypt_option"), Column("protocol_type"), Column("auth_scheme"));
        }
        catch (DbTlsException ex) when (ex.Code == FindingCodes.ServerClosed)
        {
            run.ViewProblem = ex.Message;
        }
    }

    /// <summary>
    /// Reads one server message and checks it is a tabular result before trusting its length. After
    /// login-only TLS the answer must come in clear: TLS records there mean the server kept encrypting,
    /// and reading one as a TDS header would take its bytes for a length.
    /// </summary>
    private static async Task<TdsMessage> ReadResponseAsync(Stream stream, string what, bool clearAfterTls, CancellationToken cancellationToken)
    {
        var header = new byte[TdsPacketHeader.Size];
        var got = await StreamReads.ReadExactOrEofAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (got < header.Length)
        {
            throw TdsErrors.Closed(got == 0
                ? $"the server closed the connection instead of answering {what}"
                : $"the connection closed after {got.ToString(CultureInfo.InvariantCulture)} of the {TdsPacketHeader.Size} bytes of a TDS packet header");
        }

        if (header[0] != (byte)TdsPacketType.TabularResult)
        {
            var tls = header[0] is >= 20 and <= 23 && header[1] == 3;
            throw TdsErrors.Violation(tls && clearAfterTls
                ? $"the server answered {what} with TLS records where clear-text TDS belongs: after login-only encryption the server went on encrypting"
                : $"the answer to {what} came in a packet of type 0x{header[0]:X2}, not 0x04 (tabular result)");
        }

        var parsed = TdsPacketHeader.Parse(header);
        var payload = new byte[parsed.PayloadLength];
        got = await StreamReads.ReadExactOrEofAsync(stream, payload, cancellationToken).ConfigureAwait(false);
        if (got < payload.Length)
        {
            throw TdsErrors.Closed($"the connection closed after {got.ToString(CultureInfo.InvariantCulture)} of the {payload.Length.ToString(CultureInfo.InvariantCulture)} payload bytes of the answer to {what}");
        }

        return await new TdsMessageReader(stream).ContinueMessageAsync(new TdsPacket(parsed, payload), cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
