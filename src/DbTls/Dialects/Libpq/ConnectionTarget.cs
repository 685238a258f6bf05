using System.Net;

namespace DbTls.Dialects.Libpq;

/// <summary>Where libpq would connect: host name (for SNI, verification and .pgpass), address, port.</summary>
internal sealed record ConnectionTarget(string? Host, string? HostAddress, int Port, string PortText);

/// <summary>
/// libpq's host, hostaddr and port handling (pqConnectOptions2 and the start of PQconnectPoll),
/// limited to the one TCP host dbtls checks.
/// </summary>
internal static class ConnectionTargetResolver
{
    /// <summary>The list checks libpq makes first: dbtls takes one host; ports must match the hosts.</summary>
    public static void CheckLists(ConninfoOptions options)
    {
        var host = options.GetNonEmpty(LibpqKeywords.Host);
        var hostAddress = options.GetNonEmpty(LibpqKeywords.HostAddr);
        if ((host?.Contains(',', StringComparison.Ordinal) ?? false) || (hostAddress?.Contains(',', StringComparison.Ordinal) ?? false))
        {
            throw LibpqErrors.Invalid(
                "multiple hosts are not supported yet",
                "dbtls checks one server at a time: give a single host (and hostaddr), and run dbtls once per server.");
        }

        var port = options.GetNonEmpty(LibpqKeywords.Port);
        if (port is not null && port.Contains(',', StringComparison.Ordinal))
        {
            throw LibpqErrors.Invalid($"could not match {port.Split(',').Length} port numbers to 1 hosts");
        }
    }

    /// <summary>The checks libpq makes when it starts connecting: port number, numeric hostaddr, TCP rather than a socket.</summary>
    public static ConnectionTarget Resolve(ConninfoOptions options)
    {
        var portText = options.GetNonEmpty(LibpqKeywords.Port) ?? "5432";
        var port = LibpqInteger.Parse(portText, LibpqKeywords.Port);
        if (port is < 1 or > 65535)
        {
            throw LibpqErrors.Invalid($"invalid port number: \"{portText}\"", "Give a TCP port between 1 and 65535.");
        }

        var host = options.GetNonEmpty(LibpqKeywords.Host);
        var hostAddress = options.GetNonEmpty(LibpqKeywords.HostAddr);
        if (hostAddress is not null)
        {
            // libpq resolves hostaddr with AI_NUMERICHOST: only an IP literal is accepted.
            if (hostAddress.StartsWith('[') || !IPAddress.TryParse(hostAddress, out _))
            {
                throw LibpqErrors.Invalid(
                    $"could not parse network address \"{hostAddress}\": Name or service not known",
                    "hostaddr takes a numeric IPv4 or IPv6 address; put a host name in host instead.");
            }

            return new ConnectionTarget(host, hostAddress, port, portText);
        }

        if (host is null)
        {
            throw LibpqErrors.Invalid(
                "no host given: libpq would connect through a Unix-domain socket, where TLS does not apply",
                "Give host=<name or IP address> (or hostaddr=<IP address>, or set PGHOST) to check a TCP connection.");
        }

        if (host.StartsWith('/') || host.StartsWith('@'))
        {
            throw LibpqErrors.Invalid(
                $"host \"{host}\" is a Unix-domain socket directory: libpq would connect through a Unix-domain socket, where TLS does not apply",
                "Give a host name or IP address to check a TCP connection.");
        }

        return new ConnectionTarget(host, null, port, portText);
    }
}
