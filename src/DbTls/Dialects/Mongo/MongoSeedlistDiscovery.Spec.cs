using DbTls.Diagnostics;

namespace DbTls.Dialects.Mongo;

internal static partial class MongoSeedlistDiscovery
{
    /// <summary>
    /// Seedlist discovery for a spec that is already parsed (what a check receives). The TXT options are
    /// merged by parsing the spec's own URI again, so every rule of the parser applies to them; what the
    /// caller changed on the spec afterwards (a user or password from the command line, say) is kept, and
    /// only the hosts and the three options DNS may set come from the lookup.
    /// </summary>
    public static async Task<MongoConnectionSpec> ResolveAsync(MongoConnectionSpec spec, IMongoDnsResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(resolver);
        if (!spec.IsSrv)
        {
            return spec;
        }

        if (spec.SourceUri is null)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid,
                "this mongodb+srv:// connection spec was not made by MongoConnectionString.Parse, so its DNS options cannot be merged",
                "Parse the URI with MongoConnectionString.Parse and change the result with 'with' expressions.");
        }

        var resolved = await ResolveAsync(spec.SourceUri.Reveal(), spec.ClientOptions, resolver, cancellationToken).ConfigureAwait(false);
        var parsed = MongoConnectionString.Parse(spec.SourceUri.Reveal(), spec.ClientOptions);
        return spec with
        {
            Hosts = resolved.Hosts,
            AuthSource = spec.AuthSource == parsed.AuthSource ? resolved.AuthSource : spec.AuthSource,
            ReplicaSet = resolved.ReplicaSet,
            LoadBalanced = resolved.LoadBalanced,
            Sources = spec.Sources.AddRange(resolved.Sources.Except(parsed.Sources)),
            Findings = spec.Findings.AddRange(resolved.Findings.Except(parsed.Findings)),
        };
    }
}
