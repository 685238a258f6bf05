using System.Globalization;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>The server's own view of the session from pg_stat_ssl.</summary>
internal sealed record PostgresSslViewRow(bool? Ssl, string? Version, string? Cipher, int? Bits, string? ClientDn);

/// <summary>The outcome of asking pg_stat_ssl: a row, or the reason there is none.</summary>
internal sealed record PostgresSslViewResult(PostgresSslViewRow? Row, string? Problem);

/// <summary>Runs one simple query against pg_stat_ssl and parses the text-format result with bounds checks.</summary>
internal static class PostgresSslView
{
    public const string Query = "SELECT ssl, version, cipher, bits, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    private const int MaxColumns = 1664; // PostgreSQL's MaxTupleAttributeNumber

    public static async Task<PostgresSslViewResult> ReadAsync(PostgresConnection connection, CancellationToken cancellationToken)
    {
        await connection.SendAsync(FrontendMessages.Query(Query), cancellationToken).ConfigureAwait(false);

        string[]? columns = null;
        PostgresSslViewRow? row = null;
        string? problem = null;
        while (true)
        {
            var message = await connection.ReadAsync(ReadPhase.Session, cancellationToken).ConfigureAwait(false);
            switch (message.Type)
            {
                case BackendMessageType.RowDescription:
                    columns = ParseRowDescription(message);
                    break;
                case BackendMessageType.DataRow:
                    if (columns is null)
                    {
                        throw new DbTlsException(FindingCodes.ServerProtocolViolation, "the server sent a DataRow before RowDescription");
                    }

                    var values = ParseDataRow(message, columns.Length);
                    row ??= ToRow(columns, values);
                    break;
                case BackendMessageType.CommandComplete:
                    {
                        var reader = message.Reader();
                        _ = reader.ReadCString();
                        reader.ExpectEnd();
                        break;
                    }

                case BackendMessageType.EmptyQueryResponse:
                case BackendMessageType.NoticeResponse:
                case BackendMessageType.ParameterStatus:
                    break;
                case BackendMessageType.ErrorResponse:
                    problem = PostgresServerError.Parse(message).Describe();
                    break;
                case BackendMessageType.ReadyForQuery:
                    if (row is null && problem is null)
                    {
                        problem = "pg_stat_ssl has no row for this session";
                    }

                    return new PostgresSslViewResult(problem is null ? row : null, problem);
                default:
                    throw new DbTlsException(FindingCodes.ServerProtocolViolation,
                        $"unexpected message {BackendMessageType.Describe(message.Type)} from the server in a query result");
            }
        }
    }

    private static string[] ParseRowDescription(BackendMessage message)
    {
        var reader = message.Reader();
        var count = reader.ReadInt16();
        if (count is < 0 or > MaxColumns)
        {
            throw reader.Violation($"invalid column count {count}");
        }

        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = reader.ReadCString();
            _ = reader.ReadInt32(); // table OID
            _ = reader.ReadInt16(); // column number
            _ = reader.ReadInt32(); // type OID
            _ = reader.ReadInt16(); // type size
            _ = reader.ReadInt32(); // type modifier
            var format = reader.ReadInt16();
            if (format != 0)
            {
                throw reader.Violation($"column \"{PostgresServerError.Clean(names[i], 64)}\" is in format {format}, but a simple query returns text");
            }
        }

        reader.ExpectEnd();
        return names;
    }

    private static string?[] ParseDataRow(BackendMessage message, int expectedColumns)
    {
        var reader = message.Reader();
        var count = reader.ReadInt16();
        if (count != expectedColumns)
        {
            throw reader.Violation($"the row has {count} columns but RowDescription announced {expectedColumns}");
        }

        var values = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var length = reader.ReadInt32();
            if (length == -1)
            {
                values[i] = null;
                continue;
            }

            if (length < 0 || length > reader.Remaining)
            {
                throw reader.Violation($"column {i} claims {length} bytes but {reader.Remaining} remain");
            }

            values[i] = Encoding.UTF8.GetString(reader.ReadBytes(length));
        }

        reader.ExpectEnd();
        return values;
    }

    private static PostgresSslViewRow ToRow(string[] columns, string?[] values)
    {
        string? Get(string name)
        {
            var index = Array.IndexOf(columns, name);
            return index < 0 ? null : values[index];
        }

        var ssl = Get("ssl") switch
        {
            "t" or "true" => true,
            "f" or "false" => (bool?)false,
            _ => null,
        };
        int? bits = int.TryParse(Get("bits"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : null;
        return new PostgresSslViewRow(ssl, Clean(Get("version")), Clean(Get("cipher")), bits, Clean(Get("client_dn")));
    }

    private static string? Clean(string? value) => value is null ? null : PostgresServerError.Clean(value, 512);
}
