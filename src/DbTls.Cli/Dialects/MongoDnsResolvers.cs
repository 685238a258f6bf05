using System.Net;
using DbTls.Dialects.Mongo;

namespace DbTls.Cli.Dialects;

/// <summary>Where the command line gets its resolver for mongodb+srv:// URIs.</summary>
internal static class MongoDnsResolvers
{
    /// <summary>The DNS client asking <paramref name="server"/> (<c>--dns-server</c>), or the system's name servers when null.</summary>
    public static IMongoDnsResolver? Create(IPEndPoint? server) => new DnsClientMongoResolver(server);
}
