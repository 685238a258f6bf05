using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// A MongoDB connection as PyMongo would make it from a <c>mongodb://</c> or <c>mongodb+srv://</c> URI plus
/// <see cref="MongoClientOptions"/>: the seeds, the credential, the TLS options as written and the
/// dialect-free <see cref="TlsPolicy"/> they amount to.
/// </summary>
internal sealed record MongoConnectionSpec
{
    /// <summary>True for <c>mongodb+srv://</c>: <see cref="Hosts"/> then holds the single SRV name (port unset) until <see cref="MongoSeedlistDiscovery"/> resolves it.</summary>
    public bool IsSrv { get; init; }

    /// <summary>The seed list as written (lower-cased host names, as PyMongo normalises them).</summary>
    public required ImmutableArray<MongoHost> Hosts { get; init; }

    /// <summary>For SRV: the name whose <c>_{service}._tcp</c> SRV records and TXT record give the seeds and default options.</summary>
    public string? SrvHostName { get; init; }

    public string SrvServiceName { get; init; } = "mongodb";

    /// <summary>0 means no limit.</summary>
    public int SrvMaxHosts { get; init; }

    /// <summary>The user name, percent-decoded; null when no credential was given.</summary>
    public string? User { get; init; }

    public Secret? Password { get; init; }

    /// <summary>True when the URI had a userinfo part ("@") or a user was set in code: the driver will authenticate.</summary>
    public bool HasCredential => User is not null;

    /// <summary>The database the credential is checked against (authSource, else the URI database, else admin; $external for X.509 and friends).</summary>
    public string? AuthSource { get; init; }

    /// <summary>authMechanism as written (upper case); null means negotiated (SCRAM-SHA-256 when the server offers it, else SCRAM-SHA-1).</summary>
    public string? AuthMechanism { get; init; }

    /// <summary>The default database from the URI path (the part before a dot when it names a namespace).</summary>
    public string? Database { get; init; }

    public string? AppName { get; init; }

    public string? ReplicaSet { get; init; }

    public bool? DirectConnection { get; init; }

    public bool LoadBalanced { get; init; }

    public TimeSpan? ConnectTimeout { get; init; }

    public TimeSpan? ServerSelectionTimeout { get; init; }

    /// <summary>The TLS options in effect after the URI, the code options and PyMongo's implicit rules.</summary>
    public required MongoTlsSettings TlsSettings { get; init; }

    public required TlsPolicy Tls { get; init; }

    /// <summary>Every option that was accepted, keyed by its lower-cased name, with its decoded value; secret values read <c>********</c>.</summary>
    public ImmutableDictionary<string, string> Options { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The URI with the password and every secret option value replaced by <c>********</c>.</summary>
    public required string RedactedUri { get; init; }

    /// <summary>Where settings came from beyond the URI itself, e.g. <c>tls: on (mongodb+srv default)</c>.</summary>
    public ImmutableArray<string> Sources { get; init; } = [];

    /// <summary>Warnings and notes the settings alone justify (unknown or repeated options, invalid values ignored, TLS not verified).</summary>
    public ImmutableArray<Finding> Findings { get; init; } = [];

    /// <summary>
    /// The URI this spec was parsed from (it may hold the password, hence a <see cref="Secret"/>) and the
    /// client options given with it: seedlist discovery parses them again with the TXT record's options.
    /// </summary>
    internal Secret? SourceUri { get; init; }

    internal MongoClientOptions? ClientOptions { get; init; }
}
