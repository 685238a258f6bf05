using System.Globalization;
using DbTls.Diagnostics;

namespace DbTls.Dialects.SqlClient;

/// <summary>
/// The <c>Data Source</c> of a SqlClient connection string, split the way SqlClient's managed SNI
/// (Linux, macOS) does: optional <c>tcp:</c> prefix, <c>host</c>, <c>host,port</c>, <c>host\instance</c>,
/// <c>host\instance,port</c>. SqlClient lower-cases the whole value and maps <c>.</c>, <c>(local)</c> and an
/// empty host to <c>localhost</c>. When a port is given the instance name is dropped, as SqlClient drops it.
/// </summary>
internal sealed record SqlClientDataSource(string Host, int? Port, string? Instance, string? DroppedInstance, bool LocalAlias)
{
    public static SqlClientDataSource Parse(string dataSource)
    {
        var working = dataSource.Trim().ToLowerInvariant();
        var afterProtocol = working;
        var colon = working.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            switch (working[..colon].Trim())
            {
                case "tcp":
                    afterProtocol = working[(colon + 1)..].Trim();
                    break;
                case "np":
                    throw Invalid(dataSource, "named pipes (np:) are not supported: dbtls connects over TCP only; use tcp:host,port");
                case "admin":
                    throw Invalid(dataSource, "the dedicated admin connection (admin:) needs the SQL Server Browser to find its port, which dbtls does not query; connect to the DAC port directly with tcp:host,port");
                case "lpc":
                    throw Invalid(dataSource, "shared memory (lpc:) exists only on Windows; SqlClient on Linux would take \"lpc:...\" for a host name; use tcp:host,port");
                default:
                    // Not a protocol prefix: an IPv6 literal keeps its colons (SqlClient does the same).
                    break;
            }
        }

        if (afterProtocol.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid(dataSource, "a '/' is not allowed in a server name");
        }

        if (afterProtocol.StartsWith(@"\\", StringComparison.Ordinal))
        {
            throw Invalid(dataSource, @"named pipe paths (\\host\pipe\...) are not supported: dbtls connects over TCP only; use tcp:host,port");
        }

        if (afterProtocol.StartsWith("(localdb)", StringComparison.Ordinal))
        {
            throw Invalid(dataSource, "LocalDB instances are reached through named pipes, which dbtls does not support");
        }

        var tokens = afterProtocol.Split('\\', ',');
        var host = tokens[0].Trim();
        var comma = afterProtocol.IndexOf(',', StringComparison.Ordinal);
        var backslash = afterProtocol.IndexOf('\\', StringComparison.Ordinal);
        int? port = null;
        string? instance = null;
        string? droppedInstance = null;
        if (comma >= 0)
        {
            var parameter = (backslash >= 0 && comma > backslash ? tokens[2] : tokens[1]).Trim();
            if (parameter.Length == 0)
            {
                throw Invalid(dataSource, "the port after ',' is empty");
            }

            if (!int.TryParse(parameter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < 1 || parsed > 65535)
            {
                throw Invalid(dataSource, $"\"{parameter}\" is not a TCP port (1-65535)");
            }

            port = parsed;
            if (backslash >= 0)
            {
                droppedInstance = tokens[1].Trim();
            }
        }
        else if (backslash >= 0)
        {
            instance = tokens[1].Trim();
            if (string.IsNullOrWhiteSpace(instance))
            {
                throw Invalid(dataSource, @"the instance name after '\' is empty");
            }

            if (instance == "mssqlserver")
            {
                throw Invalid(dataSource, @"MSSQLSERVER is the default instance and cannot be named; leave out '\MSSQLSERVER'");
            }
        }

        var localAlias = host.Length == 0 || host is "." or "(local)";
        if (localAlias)
        {
            host = "localhost";
        }

        return new SqlClientDataSource(host, port, instance, droppedInstance, localAlias);
    }

    private static DbTlsException Invalid(string dataSource, string reason) =>
        new(FindingCodes.ConfigInvalid, $"Data Source \"{dataSource}\" is not valid: {reason}");
}
