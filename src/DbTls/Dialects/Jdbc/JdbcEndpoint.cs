using System.Collections.Immutable;
using System.Globalization;
using DbTls.Dialects.Tds;
using static DbTls.Dialects.Jdbc.JdbcValues;

namespace DbTls.Dialects.Jdbc;

/// <summary>The server to connect to: serverName (or the URL's host), instanceName and portNumber, as the driver resolves them.</summary>
internal static class JdbcEndpoint
{
    internal static (string Host, string? Instance, int Port) Endpoint(Dictionary<string, string> values, ImmutableArray<string>.Builder sources)
    {
        var server = Get(values, JdbcProperties.ServerName);
        if (server is null)
        {
            server = "localhost";
            sources.Add("serverName=localhost (the JDBC driver's default)");
        }

        string? instance = null;
        var backslash = server.IndexOf('\\', StringComparison.Ordinal);
        if (backslash >= 0)
        {
            instance = server[(backslash + 1)..];
            server = server[..backslash];
        }

        // The instanceName property wins over an instance written into serverName.
        instance = Get(values, JdbcProperties.InstanceName) ?? instance;
        if (server.Length == 0)
        {
            throw TdsDialectRules.Invalid("the server name is empty");
        }

        if (Bool(values, JdbcProperties.ServerNameAsAce))
        {
            server = new IdnMapping().GetAscii(server);
        }

        var portText = Get(values, JdbcProperties.PortNumber);
        var port = 0;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out port) || port < 0 || port > 65535))
        {
            throw TdsDialectRules.Invalid($"portNumber \"{portText}\" is not a TCP port (0-65535)");
        }

        // Port 0 means "not given": the driver asks the SQL Server Browser for the instance's port, or uses 1433.
        if (port == 0)
        {
            if (!string.IsNullOrEmpty(instance))
            {
                throw TdsDialectRules.InstanceNeedsPort(instance, @"jdbc:sqlserver://host\instance:port or portNumber=port");
            }

            port = TdsDialectRules.DefaultPort;
            sources.Add("port 1433 (default)");
        }

        return (server, string.IsNullOrEmpty(instance) ? null : instance, port);
    }
}
