using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;
using static DbTls.Dialects.Mongo.MongoClientOptionsMerge;
using static DbTls.Dialects.Mongo.MongoDatabasePath;
using static DbTls.Dialects.Mongo.MongoHostList;
using static DbTls.Dialects.Mongo.MongoOptionValues;
using static DbTls.Dialects.Mongo.MongoTlsOptionRules;
using static DbTls.Dialects.Mongo.MongoUriErrors;
using static DbTls.Dialects.Mongo.MongoUriOptionParser;
using static DbTls.Dialects.Mongo.MongoUriRedaction;
using static DbTls.Dialects.Mongo.MongoUserInfo;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// Parses <c>mongodb://</c> and <c>mongodb+srv://</c> connection strings the way the connection-string and
/// URI options specifications describe and PyMongo implements them. Errors the specs make fatal throw a
/// <see cref="DbTlsException"/> with <see cref="FindingCodes.ConfigInvalid"/>; what they make a warning
/// becomes a <see cref="FindingCodes.ConfigWarning"/> finding on the result and the option is ignored.
/// Nothing here touches the network: SRV and TXT records are resolved afterwards by <see cref="MongoSeedlistDiscovery"/>.
/// </summary>
internal static class MongoConnectionString
{
    public const string Scheme = "mongodb://";
    public const string SrvScheme = "mongodb+srv://";

    public static MongoConnectionSpec Parse(string uri, MongoClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options ??= MongoClientOptions.None;
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var sources = ImmutableArray.CreateBuilder<string>();

        var (isSrv, rest) = SplitScheme(uri);

        // PyMongo splits at the first '?' and then at the first '/' (the spec's order gives the same result
        // because neither may appear unescaped in the userinfo or hosts).
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var hostAndDb = question < 0 ? rest : rest[..question];
        var optionText = question < 0 ? string.Empty : rest[(question + 1)..];
        var slash = hostAndDb.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash < 0 ? hostAndDb : hostAndDb[..slash];
        var database = ParseDatabase(slash < 0 ? string.Empty : hostAndDb[(slash + 1)..]);
        var uriOptions = ParseOptions(optionText, findings);

        var at = hostPart.LastIndexOf('@');
        var (user, password) = at >= 0 ? ParseUserInfo(hostPart[..at], findings) : ((string?)null, (Secret?)null);
        var hostList = at >= 0 ? hostPart[(at + 1)..] : hostPart;
        var hosts = ParseHosts(MongoPercentEncoding.Decode(hostList, plusAsSpace: true), isSrv);

        // Code options override the URI (PyMongo keyword arguments take precedence).
        CheckTlsConflicts(CodeOptionPresence(options), "the client options");
        var values = uriOptions.Values;
        (user, password) = CodeCredentials(options, user, password, sources);
        ApplyCodeOptions(options, values, sources);

        var srvServiceName = Get(values, "srvservicename");
        var srvMaxHosts = GetInt(values, "srvmaxhosts") ?? 0;
        var directConnection = GetBool(values, "directconnection");
        var loadBalanced = GetBool(values, "loadbalanced") ?? false;
        var replicaSet = Get(values, "replicaset");
        MongoTopologyRules.Check(isSrv, hosts.Length, values, srvServiceName, srvMaxHosts, directConnection, loadBalanced, replicaSet);

        var tls = BuildTlsSettings(isSrv, uriOptions, options, values, sources, findings);

        var (mechanism, effectiveSource) = MongoAuthRules.Resolve(values, user, password, database, findings);
        var policy = tls.ToPolicy();
        MongoTlsFindings.Add(tls, policy, findings);

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

    /// <summary>The scheme (<c>mongodb://</c> or <c>mongodb+srv://</c>) and what follows it, which must name something.</summary>
    private static (bool IsSrv, string Remainder) SplitScheme(string uri)
    {
        var (isSrv, rest) = uri.StartsWith(Scheme, StringComparison.Ordinal) ? (false, uri[Scheme.Length..])
            : uri.StartsWith(SrvScheme, StringComparison.Ordinal) ? (true, uri[SrvScheme.Length..])
            : throw Invalid(uri.Length == 0
                ? "the connection string is empty"
                : $"the connection string must begin with '{Scheme}' or '{SrvScheme}'");
        return rest.Length == 0 ? throw Invalid("the connection string names no host") : (isSrv, rest);
    }

    /// <summary>The client options' user name and password, which win over the URI's.</summary>
    private static (string? User, Secret? Password) CodeCredentials(MongoClientOptions options, string? user, Secret? password, ImmutableArray<string>.Builder sources)
    {
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

        return (user, password);
    }
}
