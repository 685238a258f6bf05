using System.Collections.Immutable;
using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;

namespace DbTls.Dialects.PyMongo;

/// <summary>
/// <c>MongoClient(uri, **kwargs)</c> as PyMongo 3.11 (Debian's python3-pymongo, the measured oracle) reads keyword
/// arguments given as strings: names case-insensitive, unknown names a ConfigurationError, booleans exactly
/// <c>'true'</c> or <c>'false'</c>, a keyword replacing the URI's option of the same name, then the combined options
/// checked together: <c>tlsInsecure</c> beside <c>tlsAllowInvalidCertificates</c>, <c>tlsAllowInvalidHostnames</c> or
/// <c>tlsDisableOCSPEndpointCheck</c> (from either side) is an error, so is <c>ssl</c> differing from <c>tls</c>, and
/// so is a TLS file option with TLS explicitly off. Unlike the URI options specification (and PyMongo 4), PyMongo
/// 3.11 turns TLS on when any TLS option is set and neither <c>tls</c> nor <c>ssl</c> is.
/// </summary>
internal static class PyMongoKeywordArguments
{
    private enum Kind { Text, Boolean, Secret, Milliseconds }

    private static readonly (string Name, Kind Kind, bool TlsOption)[] Known =
    [
        ("tls", Kind.Boolean, false), ("ssl", Kind.Boolean, false),
        ("tlsCAFile", Kind.Text, true), ("tlsCertificateKeyFile", Kind.Text, true),
        ("tlsCertificateKeyFilePassword", Kind.Secret, true), ("tlsCRLFile", Kind.Text, true),
        ("tlsAllowInvalidCertificates", Kind.Boolean, true), ("tlsAllowInvalidHostnames", Kind.Boolean, true),
        ("tlsInsecure", Kind.Boolean, true), ("tlsDisableOCSPEndpointCheck", Kind.Boolean, true),
        ("username", Kind.Text, false), ("password", Kind.Secret, false), ("authSource", Kind.Text, false),
        ("authMechanism", Kind.Text, false), ("appname", Kind.Text, false), ("replicaSet", Kind.Text, false),
        ("directConnection", Kind.Boolean, false), ("connectTimeoutMS", Kind.Milliseconds, false),
        ("serverSelectionTimeoutMS", Kind.Milliseconds, false),
    ];

    private static readonly string[] ExclusiveWithInsecure = ["tlsAllowInvalidCertificates", "tlsAllowInvalidHostnames", "tlsDisableOCSPEndpointCheck"];

    /// <summary>Whether a keyword's value is a secret (never shown).</summary>
    public static bool IsSecret(string name) =>
        Known.Any(k => k.Kind == Kind.Secret && k.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) || Redaction.MayNameSecret(name);

    /// <summary>The keyword arguments as client options over the URI's, after PyMongo 3.11's checks of both together.</summary>
    public static MongoClientOptions Read(IReadOnlyList<KeyValuePair<string, string>> arguments, IReadOnlyDictionary<string, string> uriOptions, ImmutableArray<Finding>.Builder notes)
    {
        // kwargs are a dict: a later keyword of the same (case-insensitive) name replaces an earlier one.
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in arguments)
        {
            var known = Known.FirstOrDefault(k => k.Name.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (known.Name is null)
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"ConfigurationError: Unknown option {key}",
                    "PyMongo refuses unknown keyword arguments; check the spelling (names are not case-sensitive).");
            }

            if (known.Kind == Kind.Boolean && value is not ("true" or "false"))
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"ValueError: The value of {known.Name} must be 'true' or 'false'",
                    $"Give {known.Name}=true or {known.Name}=false (lower case).");
            }

            if (known.Kind == Kind.Milliseconds && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"ValueError: {known.Name} must be an integer or float", null);
            }

            given[known.Name] = value;
        }

        CheckCombination(given, uriOptions, notes);
        return ToOptions(given);
    }

    private static void CheckCombination(Dictionary<string, string> given, IReadOnlyDictionary<string, string> uriOptions, ImmutableArray<Finding>.Builder notes)
    {
        bool Present(string name) => given.ContainsKey(name) || uriOptions.ContainsKey(name.ToLowerInvariant());
        foreach (var other in ExclusiveWithInsecure)
        {
            if (Present("tlsInsecure") && Present(other))
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid,
                    $"InvalidURI: URI options tlsInsecure and {other} cannot be specified simultaneously.",
                    $"PyMongo checks the URI and the keyword arguments together: keep tlsInsecure or {other}, not both.");
            }
        }

        // The URI's value of a name the keywords do not give stays; ssl and tls must then agree (compared as written).
        var tls = given.GetValueOrDefault("tls") ?? uriOptions.GetValueOrDefault("tls");
        var ssl = given.GetValueOrDefault("ssl") ?? uriOptions.GetValueOrDefault("ssl");
        if (tls is not null && ssl is not null && !tls.Equals(ssl, StringComparison.OrdinalIgnoreCase))
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, "InvalidURI: Can not specify conflicting values for URI options ssl and tls.",
                "Use tls only (ssl is its old name), in the URI or as a keyword, not both.");
        }

        var tlsOptions = Known.Where(k => k.TlsOption && Present(k.Name)).Select(k => k.Name).ToList();
        var explicitTls = given.TryGetValue("tls", out var t) ? t : given.TryGetValue("ssl", out var s) ? s : null;
        if (explicitTls == "false" && tlsOptions.Count > 0)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"ConfigurationError: ssl has not been enabled but the following ssl parameters have been set: {string.Join(", ", tlsOptions)}. Please set `ssl=True` or remove.",
                "Remove the TLS options or set tls=true.");
        }

        if (explicitTls is null && !uriOptions.ContainsKey("tls") && !uriOptions.ContainsKey("ssl") && tlsOptions.Count > 0)
        {
            given["tls"] = "true";
            notes.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                $"PyMongo 3.x turns TLS on because {string.Join(", ", tlsOptions)} is set and neither tls nor ssl is (PyMongo 4 and the URI options specification do not).",
                "Say tls=true explicitly, so the meaning does not change with the PyMongo version."));
        }
    }

    private static MongoClientOptions ToOptions(Dictionary<string, string> given)
    {
        string? Text(string name) => given.GetValueOrDefault(name);
        bool? Flag(string name) => given.TryGetValue(name, out var v) ? v == "true" : null;
        TimeSpan? Ms(string name) => given.TryGetValue(name, out var v) ? TimeSpan.FromMilliseconds(double.Parse(v, CultureInfo.InvariantCulture)) : null;
        Secret? Hidden(string name) => given.TryGetValue(name, out var v) ? new Secret(v) : null;

        return new MongoClientOptions
        {
            Tls = Flag("tls") ?? Flag("ssl"),
            TlsCAFile = Text("tlsCAFile"),
            TlsCertificateKeyFile = Text("tlsCertificateKeyFile"),
            TlsCertificateKeyFilePassword = Hidden("tlsCertificateKeyFilePassword"),
            TlsCRLFile = Text("tlsCRLFile"),
            TlsAllowInvalidCertificates = Flag("tlsAllowInvalidCertificates"),
            TlsAllowInvalidHostnames = Flag("tlsAllowInvalidHostnames"),
            TlsInsecure = Flag("tlsInsecure"),
            TlsDisableOCSPEndpointCheck = Flag("tlsDisableOCSPEndpointCheck"),
            Username = Text("username"),
            Password = Hidden("password"),
            AuthSource = Text("authSource"),
            AuthMechanism = Text("authMechanism"),
            AppName = Text("appname"),
            ReplicaSet = Text("replicaSet"),
            DirectConnection = Flag("directConnection"),
            ConnectTimeout = Ms("connectTimeoutMS"),
            ServerSelectionTimeout = Ms("serverSelectionTimeoutMS"),
        };
    }
}
