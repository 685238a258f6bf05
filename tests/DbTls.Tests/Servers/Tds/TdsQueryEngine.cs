using System.Globalization;
using System.Text.RegularExpressions;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Servers.Tds;

/// <summary>What the query engine knows about the session a batch runs in.</summary>
public sealed record TdsSessionState(ushort Spid, bool Encrypted, uint TdsVersion, int PacketSize, string ClientAddress, DateTime ConnectTime, string Database);

/// <summary>
/// Answers the few batches a TLS check and the clients' own probes send: the
/// sys.dm_exec_connections query (with values that reflect the real connection), <c>select 1</c>,
/// <c>select @@spid</c>/<c>@@version</c>/<c>@@servername</c>, and <c>set</c>/<c>use</c> statements.
/// Anything else gets an ERROR token, as a server would for an object it does not have.
/// </summary>
public static partial class TdsQueryEngine
{
    private const ushort SelectCommand = 0xC1;

    public static byte[] Execute(string sql, TdsSessionState session, TdsTestServerOptions options, uint tdsVersion)
    {
        var writer = new TdsTokenWriter(tdsVersion);
        var text = sql.Trim().TrimEnd(';').Trim();
        if (DmExecConnections().Match(text) is { Success: true } dm)
        {
            if (options.DenyViewServerState)
            {
                return writer
                    .Error(300, 1, 14, "VIEW SERVER STATE permission was denied on object 'server', database 'master'.", options.ServerName)
                    .Error(297, 1, 16, "The user does not have permission to perform this action.", options.ServerName)
                    .Done(TdsDoneStatus.Error)
                    .ToArray();
            }

            return SelectConnection(writer, dm.Groups["columns"].Value, session, options);
        }

        if (SelectLiteral().Match(text) is { Success: true } literal)
        {
            var columns = new[] { new TdsColumn(literal.Groups["alias"].Value, TdsTypeInfo.Int()) };
            var value = int.Parse(literal.Groups["value"].Value, CultureInfo.InvariantCulture);
            return writer.ColMetadata(columns).Row(columns, [value]).Done(TdsDoneStatus.Count, SelectCommand, 1).ToArray();
        }

        if (SelectGlobal().Match(text) is { Success: true } global)
        {
            var name = global.Groups["name"].Value.ToUpperInvariant();
            var alias = global.Groups["alias"].Value;
            (TdsColumn Column, object Value) result = name switch
            {
                "SPID" => (new TdsColumn(alias, TdsTypeInfo.SmallInt()), (short)session.Spid),
                "VERSION" => (new TdsColumn(alias, TdsTypeInfo.NVarChar(300)), $"dbtls TDS test server {options.ServerVersion}"),
                "SERVERNAME" => (new TdsColumn(alias, TdsTypeInfo.NVarChar(128)), options.ServerName),
                _ => (new TdsColumn(alias, TdsTypeInfo.Int()), 0),
            };
            var columns = new[] { result.Column };
            return writer.ColMetadata(columns).Row(columns, [result.Value]).Done(TdsDoneStatus.Count, SelectCommand, 1).ToArray();
        }

        if (SetStatements().IsMatch(text) || text.Length == 0)
        {
            return writer.Done(TdsDoneStatus.Final).ToArray();
        }

        return writer
            .Error(2812, 62, 16, $"The dbtls TDS test server does not run this batch: {Shorten(text)}", options.ServerName)
            .Done(TdsDoneStatus.Error)
            .ToArray();
    }

    private static byte[] SelectConnection(TdsTokenWriter writer, string columnList, TdsSessionState session, TdsTestServerOptions options)
    {
        var columns = new List<TdsColumn>();
        var values = new List<object?>();
        foreach (var raw in columnList.Split(','))
        {
            var name = raw.Trim().Trim('[', ']');
            (TdsTypeInfo Type, object? Value)? column = name.ToLowerInvariant() switch
            {
                "session_id" or "most_recent_session_id" => (TdsTypeInfo.Int(), (int)session.Spid),
                "encrypt_option" => (TdsTypeInfo.NVarChar(40), options.EncryptOptionOverride ?? (session.Encrypted ? "TRUE" : "FALSE")),
                "protocol_type" => (TdsTypeInfo.NVarChar(40), "TSQL"),
                "auth_scheme" => (TdsTypeInfo.NVarChar(40), "SQL"),
                "net_transport" => (TdsTypeInfo.NVarChar(40), "TCP"),
                "protocol_version" => (TdsTypeInfo.Int(), unchecked((int)session.TdsVersion)),
                "net_packet_size" => (TdsTypeInfo.Int(), session.PacketSize),
                "client_net_address" => (TdsTypeInfo.VarChar(48), session.ClientAddress),
                "connect_time" => (TdsTypeInfo.DateTime(), session.ConnectTime),
                _ => null,
            };
            if (column is not { } c)
            {
                return writer.Error(207, 1, 16, $"Invalid column name '{name}'.", options.ServerName).Done(TdsDoneStatus.Error).ToArray();
            }

            columns.Add(new TdsColumn(name, c.Type));
            values.Add(c.Value);
        }

        return writer.ColMetadata(columns).Row(columns, values).Done(TdsDoneStatus.Count, SelectCommand, 1).ToArray();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    [GeneratedRegex(@"^select\s+(?<columns>.+?)\s+from\s+(master\.)?sys\.dm_exec_connections\b.*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DmExecConnections();

    [GeneratedRegex(@"^select\s+(?<value>-?\d+)(\s+(as\s+)?\[?(?<alias>\w+)\]?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SelectLiteral();

    [GeneratedRegex(@"^select\s+@@(?<name>spid|version|servername)(\s+(as\s+)?\[?(?<alias>\w+)\]?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SelectGlobal();

    [GeneratedRegex(@"^(\s*(set|use)\s+[^;]+;?)+$", RegexOptions.IgnoreCase)]
    private static partial Regex SetStatements();
}
