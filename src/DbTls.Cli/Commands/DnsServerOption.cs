using System.CommandLine.Parsing;
using System.Net;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>--dns-server HOST[:PORT]</c>: an IP address with an optional port (53 when left out), IPv6 in
/// brackets when a port follows. Names are refused: resolving the DNS server's own name would need the
/// DNS server the option is there to replace.
/// </summary>
internal static class DnsServerOption
{
    public static IPEndPoint? Parse(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        try
        {
            return DnsClientMongoResolver.ParseServer(token);
        }
        catch (DbTlsException e)
        {
            result.AddError($"--dns-server: {e.Message}.");
            return null;
        }
    }
}
