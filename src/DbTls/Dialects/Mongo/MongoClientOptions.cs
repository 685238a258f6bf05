using DbTls.Policy;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// Settings given in code next to the connection string, like PyMongo's <c>MongoClient(uri, **kwargs)</c>.
/// A non-null value here overrides the same option in the URI (PyMongo: "If the same option is passed in a
/// URI and as a keyword parameter the keyword parameter takes precedence"). The TLS conflict rules of the
/// URI options spec are applied to these settings on their own as well, because a conflict written in code
/// is as ambiguous as one written in the URI.
/// </summary>
internal sealed record MongoClientOptions
{
    public bool? Tls { get; init; }

    public string? TlsCAFile { get; init; }

    public string? TlsCertificateKeyFile { get; init; }

    public Secret? TlsCertificateKeyFilePassword { get; init; }

    public string? TlsCRLFile { get; init; }

    public bool? TlsAllowInvalidCertificates { get; init; }

    public bool? TlsAllowInvalidHostnames { get; init; }

    public bool? TlsInsecure { get; init; }

    public bool? TlsDisableOCSPEndpointCheck { get; init; }

    public bool? TlsDisableCertificateRevocationCheck { get; init; }

    public string? Username { get; init; }

    public Secret? Password { get; init; }

    public string? AuthSource { get; init; }

    public string? AuthMechanism { get; init; }

    public string? AppName { get; init; }

    public string? ReplicaSet { get; init; }

    public bool? DirectConnection { get; init; }

    public bool? LoadBalanced { get; init; }

    public TimeSpan? ConnectTimeout { get; init; }

    public TimeSpan? ServerSelectionTimeout { get; init; }

    public string? SrvServiceName { get; init; }

    public int? SrvMaxHosts { get; init; }

    public static MongoClientOptions None { get; } = new();
}
