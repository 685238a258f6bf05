using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// Parses <c>mongodb://</c> and <c>mongodb+srv://</c> connection strings the way the connection-string and
/// URI options specifications describe and PyMongo implements them. Errors the specs make fatal throw a
/// <see cref="DbTlsException"/> with <see cref="FindingCodes.ConfigInvalid"/>; what they make a warning
/// becomes a <see cref="FindingCodes.ConfigWarning"/> finding on the result and the option is ignored.
/// Nothing here touches the network: SRV and TXT records are resolved afterwards by <see cref="MongoSeedlistDiscovery"/>.
/// </summary>
public static class MongoConnectionString
{
    public const string Scheme = "mongodb://";
    public const string SrvScheme = "mongodb+srv://";

    private const string Redacted = "********";

    /// <summary>Pairs whose co-occurrence the URI options spec makes an error, whatever their values.</summary>
    private static readonly (string A, string B)[] ConflictingTlsOptions =
    [
        ("tlsInsecure", "tlsAllowInvalidCertificates"),
        ("tlsInsecure", "tlsAllowInvalidHostnames"),
        ("tlsInsecure", "tlsDisableOCSPEndpointCheck"),
        ("tlsInsecure", "tlsDisableCertificateRevocationCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableOCSPEndpointCheck"),
        ("tlsAllowInvalidCertificates", "tlsDisableCertificateRevocationCheck"),
        ("tlsDisableOCSPEndpointCheck", "tlsDisableCertificateRevocationCheck"),
    ];

    private static readonly string[] SecretOptionKeys = ["tlscertificatekeyfilepassword", "proxypassword"];

    public static MongoConnectionSpec Parse(string uri, MongoClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options ??= MongoClientOptions.None;
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var sources = ImmutableArray.CreateBuilder<string>();

        bool isSrv;
        string rest;
        if (uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            isSrv = false;
            rest = uri[Scheme.Length..];
        }
        else if (uri.StartsWith(SrvScheme, StringComparison.Ordinal))
        {
            isSrv = true;
            rest = uri[SrvScheme.Length..];
        }
        else
        {
            throw Invalid(uri.Length == 0
                ? "the connection string is empty"
                : $"the connection string must begin with '{Scheme}' or '{SrvScheme}'");
        }

        if (rest.Length == 0)
        {
            throw Invalid("the connection string names no host");
        }

        // PyMongo splits at the first '?' and then at the first '/' (the spec's order gives the same result
        // because neither may appear unescaped in the userinfo or hosts).
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var hostAndDb = question < 0 ? rest : rest[..question];
        var optionText = question < 0 ? string.Empty : rest[(question + 1)..];
        var slash = hostAndDb.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash < 0 ? hostAndDb : hostAndDb[..slash];
        var dbText = slash < 0 ? string.Empty : hostAndDb[(slash + 1)..];

        var database = ParseDatabase(dbText);
        var uriOptions = ParseOptions(optionText, findings);

        string? user = null;
        Secret? password = null;
        string hostList;
        var at = hostPart.LastIndexOf('@');
        if (at >= 0)
        {
            (user, password) = ParseUserInfo(hostPart[..at], findings);
            hostList = hostPart[(at + 1)..];
        }
        else
        {
            hostList = hostPart;
        }

        var hosts = ParseHosts(MongoPercentEncoding.Decode(hostList, plusAsSpace: true), isSrv);

        // Code options override the URI (PyMongo keyword arguments take precedence).
        CheckTlsConflicts(CodeOptionPresence(options), "the client options");
        var values = uriOptions.Values;
        if (options.Username is not null)
        {
            user = options.Username;
            sources.Add("username: client options");
        }

        if (options.Password is not null)
        {
            password = options.Password;
            sources.Add("password: client options");
        }

        ApplyCodeOptions(options, values, sources);

        var srvServiceName = Get(values, "srvservicename");
        var srvMaxHosts = GetInt(values, "srvmaxhosts") ?? 0;
        var directConnection = GetBool(values, "directconnection");
        var loadBalanced = GetBool(values, "loadbalanced") ?? false;
        var replicaSet = Get(values, "replicaset");
        if (isSrv)
        {
            if (directConnection == true)
            {
                throw Invalid("directConnection=true cannot be used with a mongodb+srv:// URI (it may resolve to several hosts)");
            }

            if (srvMaxHosts > 0 && replicaSet is not null)
            {
                throw Invalid("srvMaxHosts cannot be combined with replicaSet");
            }

            if (srvMaxHosts > 0 && loadBalanced)
            {
                throw Invalid("srvMaxHosts cannot be combined with loadBalanced=true");
            }
        }
        else
        {
            if (srvServiceName is not null)
            {
                throw Invalid("srvServiceName is only allowed with mongodb+srv:// URIs");
            }

            if (srvMaxHosts > 0 || values.ContainsKey("srvmaxhosts"))
            {
                throw Invalid("srvMaxHosts is only allowed with mongodb+srv:// URIs");
            }
        }

        if (directConnection == true && hosts.Length > 1)
        {
            throw Invalid("directConnection=true cannot be used with several hosts");
        }

        if (loadBalanced)
        {
            if (hosts.Length > 1)
            {
                throw Invalid("loadBalanced=true cannot be used with several hosts");
            }

            if (directConnection == true)
            {
                throw Invalid("loadBalanced=true cannot be combined with directConnection=true");
            }

            if (replicaSet is not null)
            {
                throw Invalid("loadBalanced=true cannot be combined with replicaSet");
            }
        }

        var tls = BuildTlsSettings(isSrv, uriOptions, options, values, sources, findings);

        var mechanism = Get(values, "authmechanism");
        if (mechanism == "DEFAULT")
        {
            mechanism = null;
        }

        var authSource = Get(values, "authsource");
        if (authSource is { Length: 0 })
        {
            throw Invalid("authSource cannot be an empty string");
        }

        if (user is null && (mechanism is "SCRAM-SHA-1" or "SCRAM-SHA-256" or "PLAIN"))
        {
            throw Invalid($"authMechanism={mechanism} needs a user name");
        }

        string? effectiveSource = null;
        if (user is not null || mechanism is not null)
        {
            effectiveSource = authSource ?? mechanism switch
            {
                "MONGODB-X509" or "GSSAPI" or "MONGODB-AWS" or "MONGODB-OIDC" => "$external",
                "PLAIN" => database ?? "$external",
                _ => database ?? "admin",
            };
        }

        if (user is not null && password is null && mechanism is null or "SCRAM-SHA-1" or "SCRAM-SHA-256")
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                $"user '{user}' has no password in the URI or the client options; SCRAM authentication needs one."));
        }

        var policy = tls.ToPolicy();
        if (!tls.Enabled)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.TlsNotUsed,
                "TLS is off: the driver connects in plaintext, and MongoDB has no in-protocol upgrade, so credentials and data travel unencrypted.",
                "Add tls=true to the URI (mongodb+srv:// URIs turn it on by default) and make the server require TLS (net.tls.mode: requireTLS)."));
        }
        else if (policy.Verification != VerificationLevel.ChainAndHostName)
        {
            var what = tls.Insecure ? "tlsInsecure=true"
                : tls.AllowInvalidCertificates ? "tlsAllowInvalidCertificates=true"
                : "tlsAllowInvalidHostnames=true";
            findings.Add(FindingCatalog.Create(FindingCodes.CertNotVerified,
                $"{what}: the server certificate is {(policy.Verification == VerificationLevel.None ? "not verified at all" : "checked against the CA but not against the host name")}; anyone in the path can impersonate the server.",
                "Remove tlsInsecure / tlsAllowInvalidCertificates / tlsAllowInvalidHostnames and give the issuing CA with tlsCAFile."));
        }

        return new MongoConnectionSpec
        {
            IsSrv = isSrv,
            Hosts = hosts,
            SrvHostName = isSrv ? hosts[0].Host : null,
            SrvServiceName = srvServiceName ?? "mongodb",
            SrvMaxHosts = srvMaxHosts,
            User = user,
            Password = password,
            AuthSource = effectiveSource,
            AuthMechanism = mechanism,
            Database = database,
            AppName = Get(values, "appname"),
            ReplicaSet = replicaSet,
            DirectConnection = directConnection,
            LoadBalanced = loadBalanced,
            ConnectTimeout = GetMilliseconds(values, "connecttimeoutms"),
            ServerSelectionTimeout = GetMilliseconds(values, "serverselectiontimeoutms"),
            TlsSettings = tls,
            Tls = policy,
            Options = values.ToImmutableDictionary(
                kv => kv.Key,
                kv => SecretOptionKeys.Contains(kv.Key) ? Redacted : kv.Value,
                StringComparer.Ordinal),
            RedactedUri = Redact(uri, isSrv, hostPart, at, question),
            Sources = sources.ToImmutable(),
            Findings = findings.ToImmutable(),
            SourceUri = new Secret(uri),
            ClientOptions = options,
        };
    }

    private static DbTlsException Invalid(string message, string? remedy = null) =>
        new(FindingCodes.ConfigInvalid, message, remedy);

    private static string? ParseDatabase(string dbText)
    {
        if (dbText.Length == 0)
        {
            return null;
        }

        var db = MongoPercentEncoding.Decode(dbText, plusAsSpace: true);

        // A dotted path names a namespace (db.collection); the database is the part before the first dot.
        var dot = db.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            db = db[..dot];
        }

        if (db.AsSpan().IndexOfAny("/\\ \"$") >= 0)
        {
            throw Invalid($"bad database name '{db}': it must not contain '/', '\\', ' ', '\"' or '$'",
                "Percent-encode the database name, or remove the path after the host list.");
        }

        return db.Length == 0 ? null : db;
    }

    private static (string User, Secret? Password) ParseUserInfo(string userInfo, ImmutableArray<Finding>.Builder findings)
    {
        const string remedy = "Percent-encode the user name and password (for example with Python's urllib.parse.quote_plus): '@' is %40, ':' is %3A, '/' is %2F, '%' is %25.";
        if (userInfo.Contains('@', StringComparison.Ordinal))
        {
            throw Invalid("the user name or password contains an unescaped '@'", remedy);
        }

        if (userInfo.Count(c => c == ':') > 1)
        {
            throw Invalid("the user name or password contains an unescaped ':'", remedy);
        }

        if (MongoPercentEncoding.HasUnescapedPercent(userInfo))
        {
            throw Invalid("the user name or password contains a '%' that does not start a %XX escape", remedy);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var rawUser = colon < 0 ? userInfo : userInfo[..colon];
        var rawPassword = colon < 0 ? null : userInfo[(colon + 1)..];
        if (rawUser.Length == 0)
        {
            throw Invalid("the user name is empty (the URI has an '@' with nothing before it)");
        }

        if (rawPassword is not null && rawPassword.Contains('+', StringComparison.Ordinal))
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                "the password contains '+', which PyMongo decodes as a space.",
                "Write %2B for a literal plus sign in the password."));
        }

        var user = MongoPercentEncoding.Decode(rawUser, plusAsSpace: true);
        var password = rawPassword is null ? null : new Secret(MongoPercentEncoding.Decode(rawPassword, plusAsSpace: true));
        return (user, password);
    }

    private static ImmutableArray<MongoHost> ParseHosts(string hostList, bool isSrv)
    {
        if (hostList.Length == 0)
        {
            throw Invalid("the connection string names no host");
        }

        var hosts = ImmutableArray.CreateBuilder<MongoHost>();
        foreach (var entity in hostList.Split(','))
        {
            if (entity.Length == 0)
            {
                throw Invalid("empty host (or an extra comma in the host list)");
            }

            hosts.Add(ParseHost(entity));
        }

        if (isSrv)
        {
            if (hosts.Count != 1)
            {
                throw Invalid("a mongodb+srv:// URI must name exactly one host");
            }

            if (hosts[0].PortGiven)
            {
                throw Invalid("a mongodb+srv:// URI must not give a port", "Remove the port: the ports come from the DNS SRV records.");
            }

            if (hosts[0].Kind is MongoHostKind.UnixSocket or MongoHostKind.IPLiteral or MongoHostKind.IPv4)
            {
                throw Invalid("a mongodb+srv:// URI must name a DNS host name");
            }
        }

        return hosts.ToImmutable();
    }

    private static MongoHost ParseHost(string entity)
    {
        if (entity.Contains('/', StringComparison.Ordinal) && !entity.EndsWith(".sock", StringComparison.Ordinal))
        {
            throw Invalid($"unsupported host '{entity}': UNIX domain socket paths must end in .sock and be percent-encoded");
        }

        if (entity.EndsWith(".sock", StringComparison.Ordinal))
        {
            return new MongoHost(entity, 0, MongoHostKind.UnixSocket);
        }

        string host;
        string? port = null;
        MongoHostKind kind;
        if (entity[0] == '[')
        {
            var close = entity.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid($"the IPv6 literal in '{entity}' must be enclosed in '[' and ']'");
            }

            host = entity[1..close];
            var after = entity[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    throw Invalid($"unexpected text after the IPv6 literal in '{entity}'");
                }

                port = after[1..];
            }

            if (!System.Net.IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw Invalid($"'{host}' is not an IPv6 address");
            }

            kind = MongoHostKind.IPLiteral;
        }
        else
        {
            var colons = entity.Count(c => c == ':');
            if (colons > 1)
            {
                throw Invalid($"'{entity}' has more than one ':'; an IPv6 address must be written in brackets, and ':' in a password must be escaped as %3A");
            }

            var colon = entity.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? entity : entity[..colon];
            port = colon < 0 ? null : entity[(colon + 1)..];
            if (host.Length == 0)
            {
                throw Invalid($"'{entity}' names no host");
            }

            kind = IsDottedQuad(host) ? MongoHostKind.IPv4 : MongoHostKind.HostName;
        }

        var portNumber = MongoHost.DefaultPort;
        if (port is not null)
        {
            if (port.Length == 0 || !port.All(char.IsAsciiDigit) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535)
            {
                throw Invalid($"invalid port '{port}' for host '{host}': it must be an integer between 1 and 65535",
                    "Check the port; a port that is not a number often means an unescaped ':' or '@' in the password.");
            }
        }

        // DNS names are case-insensitive; PyMongo lower-cases them so the seed list matches the servers' own names.
        return new MongoHost(host.ToLowerInvariant(), portNumber, kind) { PortGiven = port is not null };
    }

    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>The URI's options in order, with the raw occurrences kept for the conflict rules.</summary>
    private sealed class UriOptions
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        /// <summary>Every occurrence of every key (lower-cased), valid or not, for presence-based rules.</summary>
        public Dictionary<string, List<string>> Occurrences { get; } = new(StringComparer.Ordinal);
    }

    private static UriOptions ParseOptions(string text, ImmutableArray<Finding>.Builder findings)
    {
        var result = new UriOptions();
        if (text.Length == 0)
        {
            return result;
        }

        var hasAmp = text.Contains('&', StringComparison.Ordinal);
        var hasSemi = text.Contains(';', StringComparison.Ordinal);
        if (hasAmp && hasSemi)
        {
            throw Invalid("the URI options mix '&' and ';' as separators");
        }

        var pairs = text.Split(hasSemi ? ';' : '&');
        var ordered = new List<(string Key, string Lower, string Value)>();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw Invalid($"URI option '{pair}' is not a key=value pair");
            }

            var key = pair[..eq];
            var lower = key.ToLowerInvariant();

            // authMechanismProperties stays raw: its values may hold URLs with their own escapes (PyMongo does the same).
            var value = lower == "authmechanismproperties" ? pair[(eq + 1)..] : MongoPercentEncoding.Decode(pair[(eq + 1)..], plusAsSpace: true);
            ordered.Add((key, lower, value));
            if (!result.Occurrences.TryGetValue(lower, out var list))
            {
                result.Occurrences[lower] = list = [];
            }
            else if (lower != "readpreferencetags" && !lower.StartsWith("proxy", StringComparison.Ordinal))
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    $"URI option '{key}' is given more than once; the last value is used.",
                    "Give each option once."));
            }

            list.Add(value);
        }

        MongoProxyOptions.Validate(result.Occurrences);
        CheckTlsConflicts(result.Occurrences.ToDictionary(kv => kv.Key, kv => kv.Value.Count > 0, StringComparer.Ordinal), "the URI");
        if (result.Occurrences.TryGetValue("tls", out var tlsValues) | result.Occurrences.TryGetValue("ssl", out var sslValues))
        {
            var all = (tlsValues ?? []).Concat(sslValues ?? []).Distinct(StringComparer.Ordinal).ToList();
            if (all.Count > 1)
            {
                throw Invalid("the URI gives conflicting values for tls/ssl (every tls and ssl option must have the same value)");
            }
        }

        foreach (var (key, lower, value) in ordered)
        {
            var info = MongoUriOptionTable.Find(lower);
            if (info is null)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    $"unsupported URI option '{key}' is ignored.",
                    "Check the spelling against the MongoDB URI options; PyMongo ignores options it does not know."));
                continue;
            }

            if (value.Length == 0 && info.Name is not ("authSource" or "readPreferenceTags"))
            {
                // The spec: an empty integer or boolean value means the key is ignored.
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning, $"URI option '{key}' has an empty value and is ignored."));
                result.Values.Remove(lower);
                continue;
            }

            if (info.Validate(value) is { } problem)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    info.IsSecret ? $"URI option '{key}' has an invalid value and is ignored: {problem}." : $"URI option '{key}={value}' is invalid and ignored: {problem}.",
                    $"Correct the value of {info.Name}; the driver ignores the option, so its default applies."));
                result.Values.Remove(lower);
                continue;
            }

            result.Values[lower] = info.IsList && result.Values.TryGetValue(lower, out var previous) ? previous + "\n" + value : value;
        }

        return result;
    }

    private static void CheckTlsConflicts(IReadOnlyDictionary<string, bool> present, string where)
    {
        foreach (var (a, b) in ConflictingTlsOptions)
        {
            if (present.GetValueOrDefault(a.ToLowerInvariant()) && present.GetValueOrDefault(b.ToLowerInvariant()))
            {
                throw Invalid($"{where} sets both {a} and {b}; the URI options specification forbids combining them, whatever their values",
                    a == "tlsInsecure"
                        ? $"Use tlsInsecure alone (it implies tlsAllowInvalidCertificates, tlsAllowInvalidHostnames and tlsDisableOCSPEndpointCheck) or drop it and set {b}."
                        : $"Remove one of {a} and {b}.");
            }
        }
    }

    private static Dictionary<string, bool> CodeOptionPresence(MongoClientOptions o) => new(StringComparer.Ordinal)
    {
        ["tlsinsecure"] = o.TlsInsecure is not null,
        ["tlsallowinvalidcertificates"] = o.TlsAllowInvalidCertificates is not null,
        ["tlsallowinvalidhostnames"] = o.TlsAllowInvalidHostnames is not null,
        ["tlsdisableocspendpointcheck"] = o.TlsDisableOCSPEndpointCheck is not null,
        ["tlsdisablecertificaterevocationcheck"] = o.TlsDisableCertificateRevocationCheck is not null,
    };

    private static void ApplyCodeOptions(MongoClientOptions o, Dictionary<string, string> values, ImmutableArray<string>.Builder sources)
    {
        void Set(string key, string? value, bool secret = false)
        {
            if (value is null)
            {
                return;
            }

            sources.Add(values.ContainsKey(key)
                ? $"{key}: client options (overrides the URI)"
                : secret ? $"{key}: client options" : $"{key}={value}: client options");
            values[key] = value;
        }

        static string? B(bool? b) => b is null ? null : b.Value ? "true" : "false";
        static string? Ms(TimeSpan? t) => t?.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);

        // tlsInsecure in code replaces whatever the URI said about the options it implies.
        if (o.TlsInsecure is not null)
        {
            values.Remove("tlsallowinvalidcertificates");
            values.Remove("tlsallowinvalidhostnames");
            values.Remove("tlsdisableocspendpointcheck");
        }

        // PyMongo expands a URI tlsInsecure into the three options it implies before keyword arguments
        // apply, so a finer option in code overrides only itself and the other two keep tlsInsecure's value.
        if ((o.TlsAllowInvalidCertificates is not null || o.TlsAllowInvalidHostnames is not null || o.TlsDisableOCSPEndpointCheck is not null)
            && values.Remove("tlsinsecure", out var uriInsecure))
        {
            values["tlsallowinvalidcertificates"] = uriInsecure;
            values["tlsallowinvalidhostnames"] = uriInsecure;
            values["tlsdisableocspendpointcheck"] = uriInsecure;
            sources.Add($"tlsInsecure={uriInsecure} from the URI expanded into tlsAllowInvalidCertificates, tlsAllowInvalidHostnames and tlsDisableOCSPEndpointCheck before the client options apply");
        }

        Set("tls", B(o.Tls));
        if (o.Tls is not null)
        {
            values.Remove("ssl");
        }

        Set("tlscafile", o.TlsCAFile);
        Set("tlscertificatekeyfile", o.TlsCertificateKeyFile);
        Set("tlscertificatekeyfilepassword", o.TlsCertificateKeyFilePassword?.Reveal(), secret: true);
        Set("tlscrlfile", o.TlsCRLFile);
        Set("tlsallowinvalidcertificates", B(o.TlsAllowInvalidCertificates));
        Set("tlsallowinvalidhostnames", B(o.TlsAllowInvalidHostnames));
        Set("tlsinsecure", B(o.TlsInsecure));
        Set("tlsdisableocspendpointcheck", B(o.TlsDisableOCSPEndpointCheck));
        Set("tlsdisablecertificaterevocationcheck", B(o.TlsDisableCertificateRevocationCheck));
        Set("authsource", o.AuthSource);
        Set("authmechanism", o.AuthMechanism);
        Set("appname", o.AppName);
        Set("replicaset", o.ReplicaSet);
        Set("directconnection", B(o.DirectConnection));
        Set("loadbalanced", B(o.LoadBalanced));
        Set("connecttimeoutms", Ms(o.ConnectTimeout));
        Set("serverselectiontimeoutms", Ms(o.ServerSelectionTimeout));
        Set("srvservicename", o.SrvServiceName);
        Set("srvmaxhosts", o.SrvMaxHosts?.ToString(CultureInfo.InvariantCulture));
    }

    private static MongoTlsSettings BuildTlsSettings(bool isSrv, UriOptions uri, MongoClientOptions code, Dictionary<string, string> values,
        ImmutableArray<string>.Builder sources, ImmutableArray<Finding>.Builder findings)
    {
        var tlsValue = GetBool(values, "tls") ?? GetBool(values, "ssl");
        var insecure = GetBool(values, "tlsinsecure");
        var allowInvalidCertificates = insecure ?? GetBool(values, "tlsallowinvalidcertificates");
        var allowInvalidHostnames = insecure ?? GetBool(values, "tlsallowinvalidhostnames");
        var disableOcsp = insecure ?? (GetBool(values, "tlsallowinvalidcertificates") == true ? true : GetBool(values, "tlsdisableocspendpointcheck"));
        var caFile = Get(values, "tlscafile");
        var certificateKeyFile = Get(values, "tlscertificatekeyfile");
        var keyPassword = Get(values, "tlscertificatekeyfilepassword");
        var crlFile = Get(values, "tlscrlfile");
        var disableRevocation = GetBool(values, "tlsdisablecertificaterevocationcheck") ?? false;

        // PyMongo: a file option implies tls=True, and so (oddly) does an allow/disable option set to false;
        // an explicit tls=false next to any of them is a configuration error.
        var implying = new List<string>();
        if (certificateKeyFile is { Length: > 0 }) implying.Add("tlsCertificateKeyFile");
        if (keyPassword is { Length: > 0 }) implying.Add("tlsCertificateKeyFilePassword");
        if (caFile is { Length: > 0 }) implying.Add("tlsCAFile");
        if (crlFile is { Length: > 0 }) implying.Add("tlsCRLFile");
        if (GetBool(values, "tlsallowinvalidcertificates") == false || insecure == false) implying.Add("tlsAllowInvalidCertificates=false");
        if (GetBool(values, "tlsallowinvalidhostnames") == false) implying.Add("tlsAllowInvalidHostnames=false");
        if (GetBool(values, "tlsdisableocspendpointcheck") == false) implying.Add("tlsDisableOCSPEndpointCheck=false");

        bool enabled;
        if (tlsValue is { } explicitTls)
        {
            enabled = explicitTls;
            if (!enabled && implying.Count > 0)
            {
                throw Invalid($"TLS is switched off (tls=false) but TLS options are set: {string.Join(", ", implying)}",
                    "Set tls=true or remove the TLS options.");
            }

            if (code.Tls is null && uri.Occurrences.ContainsKey("ssl") && !uri.Occurrences.ContainsKey("tls"))
            {
                sources.Add("tls: from ssl (its alias)");
            }
        }
        else if (isSrv)
        {
            enabled = true;
            sources.Add("tls=true: default for mongodb+srv://");
        }
        else if (implying.Count > 0)
        {
            enabled = true;
            sources.Add($"tls=true: implied by {string.Join(", ", implying)} (PyMongo)");
        }
        else
        {
            enabled = false;
        }

        if (insecure is not null)
        {
            sources.Add($"tlsAllowInvalidCertificates, tlsAllowInvalidHostnames, tlsDisableOCSPEndpointCheck={(insecure.Value ? "true" : "false")}: implied by tlsInsecure");
        }

        if (enabled)
        {
            if (crlFile is not null && (allowInvalidCertificates == true))
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    "tlsCRLFile has no effect: the server certificate is not verified at all (tlsAllowInvalidCertificates or tlsInsecure).",
                    "Remove tlsAllowInvalidCertificates / tlsInsecure so that the certificate and its revocation are checked."));
            }
            else if (crlFile is not null && disableRevocation)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    "tlsCRLFile is ignored because tlsDisableCertificateRevocationCheck=true.",
                    "Remove one of the two options."));
            }

            if (crlFile is not null && allowInvalidCertificates != true && !disableRevocation)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                    "tlsCRLFile replaces OCSP: PyMongo cannot use a CRL and OCSP in the same handshake, so only the CRL is checked (for the server's own certificate)."));
            }

            if (disableOcsp == true && allowInvalidCertificates != true)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                    "tlsDisableOCSPEndpointCheck=true: a stapled OCSP response is still checked, but the certificate's OCSP responder is never asked."));
            }
        }
        else if (insecure == true || allowInvalidCertificates == true || allowInvalidHostnames == true)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                "TLS verification options are set but TLS is off, so they do nothing.",
                "Add tls=true."));
        }

        return new MongoTlsSettings
        {
            Enabled = enabled,
            CAFile = caFile,
            CertificateKeyFile = certificateKeyFile,
            CertificateKeyFilePassword = keyPassword is null ? null : new Secret(keyPassword),
            CrlFile = crlFile,
            AllowInvalidCertificates = allowInvalidCertificates ?? false,
            AllowInvalidHostnames = allowInvalidHostnames ?? false,
            Insecure = insecure ?? false,
            DisableOcspEndpointCheck = disableOcsp ?? false,
            DisableCertificateRevocationCheck = disableRevocation,
        };
    }

    private static string? Get(Dictionary<string, string> values, string key) => values.GetValueOrDefault(key);

    private static bool? GetBool(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var v) ? MongoUriOptionTable.ParseBoolean(v) : null;

    private static int? GetInt(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static TimeSpan? GetMilliseconds(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>Rebuilds the URI with the password and secret option values masked, leaving everything else byte for byte.</summary>
    private static string Redact(string uri, bool isSrv, string hostPart, int at, int question)
    {
        var scheme = isSrv ? SrvScheme : Scheme;
        var builder = new StringBuilder(uri.Length);
        builder.Append(scheme);
        if (at >= 0)
        {
            var userInfo = hostPart[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Append(colon < 0 ? userInfo : userInfo[..(colon + 1)] + Redacted);
            builder.Append(hostPart[at..]);
        }
        else
        {
            builder.Append(hostPart);
        }

        var rest = uri[(scheme.Length + hostPart.Length)..];
        if (question < 0)
        {
            builder.Append(rest);
            return builder.ToString();
        }

        var q = rest.IndexOf('?', StringComparison.Ordinal);
        builder.Append(rest, 0, q + 1);
        var optionText = rest[(q + 1)..];
        var separator = optionText.Contains(';', StringComparison.Ordinal) && !optionText.Contains('&', StringComparison.Ordinal) ? ';' : '&';
        var first = true;
        foreach (var pair in optionText.Split(separator))
        {
            if (!first)
            {
                builder.Append(separator);
            }

            first = false;
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0 && SecretOptionKeys.Contains(pair[..eq].ToLowerInvariant()))
            {
                builder.Append(pair, 0, eq + 1).Append(Redacted);
            }
            else
            {
                builder.Append(pair);
            }
        }

        return builder.ToString();
    }
}
