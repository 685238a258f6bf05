using DbTls.Diagnostics;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// The SOCKS5 proxy options of the URI options spec (proxyHost, proxyPort, proxyUsername, proxyPassword).
/// Their combination rules are configuration errors; a valid proxy is something dbtls cannot follow: the
/// driver would tunnel every connection through the proxy, and a check that connected directly would test
/// another network path, so the check refuses it (<see cref="RefuseTunnel"/>) rather than report on it.
/// </summary>
internal static class MongoProxyOptions
{
    private const string Host = "proxyhost";

    private static readonly string[] Names = [Host, "proxyport", "proxyusername", "proxypassword"];

    /// <summary>The spec's rules, on every occurrence of every option (lower-cased keys), valid value or not.</summary>
    public static void Validate(IReadOnlyDictionary<string, List<string>> occurrences)
    {
        foreach (var name in Names)
        {
            if (occurrences.TryGetValue(name, out var values) && values.Count > 1)
            {
                throw Invalid($"the URI gives {Display(name)} more than once; a proxy option may appear only once");
            }
        }

        if (!occurrences.ContainsKey(Host))
        {
            var orphan = Names.Skip(1).Where(occurrences.ContainsKey).Select(Display).ToList();
            if (orphan.Count > 0)
            {
                throw Invalid($"{string.Join(", ", orphan)} without proxyHost: the proxy options need proxyHost");
            }

            return;
        }

        if (occurrences.ContainsKey("proxyusername") != occurrences.ContainsKey("proxypassword"))
        {
            throw Invalid("proxyUsername and proxyPassword must be given together");
        }
    }

    /// <summary>Refuses a spec whose driver would connect through a proxy: dbtls only connects directly.</summary>
    public static void RefuseTunnel(MongoConnectionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Options.TryGetValue(Host, out var host))
        {
            var port = spec.Options.GetValueOrDefault("proxyport") ?? "1080";
            throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"proxyHost={host} (port {port}): the driver would tunnel every connection through this SOCKS5 proxy, and dbtls does not support proxies, so a direct connection would check another path than the driver's",
                "Run dbtls on a machine that reaches the MongoDB servers directly and remove the proxy options from the URI for the check.");
        }
    }

    private static string Display(string name) => name switch
    {
        "proxyport" => "proxyPort",
        "proxyusername" => "proxyUsername",
        "proxypassword" => "proxyPassword",
        _ => "proxyHost",
    };

    private static DbTlsException Invalid(string message) =>
        new(FindingCodes.ConfigInvalid, message, "Give proxyHost once, optionally with one proxyPort, and proxyUsername and proxyPassword together or not at all.");
}
