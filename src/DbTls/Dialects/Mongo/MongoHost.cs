using System.Globalization;

namespace DbTls.Dialects.Mongo;

/// <summary>How a host in a MongoDB connection string was written (connection-string spec test "type").</summary>
internal enum MongoHostKind
{
    HostName,
    IPv4,

    /// <summary>An IPv6 literal, written in brackets in the string; <see cref="MongoHost.Host"/> holds it without them.</summary>
    IPLiteral,

    /// <summary>A percent-encoded UNIX domain socket path ending in <c>.sock</c>.</summary>
    UnixSocket,
}

/// <summary>One seed from the host list.</summary>
internal sealed record MongoHost(string Host, int Port, MongoHostKind Kind)
{
    public const int DefaultPort = 27017;

    /// <summary>True when the port was written in the string rather than defaulted.</summary>
    public bool PortGiven { get; init; }

    /// <summary><c>host:port</c>, with IPv6 literals in brackets, as drivers print addresses.</summary>
    public override string ToString() => Kind switch
    {
        MongoHostKind.IPLiteral => string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}"),
        MongoHostKind.UnixSocket => Host,
        _ => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}"),
    };
}
