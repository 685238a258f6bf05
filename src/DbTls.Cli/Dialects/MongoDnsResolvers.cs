using System.Net;
using DbTls.Dialects.Mongo;

namespace DbTls.Cli.Dialects;

/// <summary>Where the command line gets its resolver for mongodb+srv:// URIs.</summary>
internal static class MongoDnsResolvers
{
    /// <summary>
    /// The DNS client for SRV and TXT lookups (library: <c>DnsClientMongoResolver</c>, asking
    /// <paramref name="server"/> or the system's DNS server). Until that client is part of the build this
    /// returns null, and a mongodb+srv:// check ends with net.srv-lookup-failed saying so.
    /// </summary>
    public static IMongoDnsResolver? Create(IPEndPoint? server) => null;
}
