using System.Collections.Immutable;
using DbTls.Diagnostics;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// Initial DNS seedlist discovery: turns a parsed <c>mongodb+srv://</c> spec into one with concrete hosts
/// and the TXT record's default options, enforcing every rule of the specification that protects the
/// client (SRV targets must share the SRV name's domain; at most one TXT record; only authSource,
/// replicaSet and loadBalanced in it).
/// </summary>
internal static partial class MongoSeedlistDiscovery
{
    private static readonly string[] AllowedTxtOptions = ["authsource", "replicaset", "loadbalanced"];

    public static async Task<MongoConnectionSpec> ResolveAsync(string uri, MongoClientOptions? options, IMongoDnsResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        var spec = MongoConnectionString.Parse(uri, options);
        if (!spec.IsSrv)
        {
            return spec;
        }

        var srvHost = spec.SrvHostName!;
        var srvName = $"_{spec.SrvServiceName}._tcp.{srvHost}";
        var records = await resolver.ResolveSrvAsync(srvName, cancellationToken).ConfigureAwait(false);
        if (records.Count == 0)
        {
            throw new DbTlsException(FindingCodes.DnsSrvLookupFailed, $"DNS has no SRV records for {srvName}");
        }

        var hosts = ImmutableArray.CreateBuilder<MongoHost>();
        foreach (var record in records)
        {
            var target = record.Target.TrimEnd('.').ToLowerInvariant();
            if (!IsInDomain(target, srvHost))
            {
                throw new DbTlsException(FindingCodes.DnsSrvRecordInvalid,
                    $"SRV record {srvName} points to {target}, which is not in the domain of {srvHost}; drivers refuse to connect to it");
            }

            if (record.Port is < 1 or > 65535)
            {
                throw new DbTlsException(FindingCodes.DnsSrvRecordInvalid, $"SRV record {srvName} gives an invalid port {record.Port}");
            }

            hosts.Add(new MongoHost(target, record.Port, MongoHostKind.HostName) { PortGiven = true });
        }

        var txt = await resolver.ResolveTxtAsync(srvHost, cancellationToken).ConfigureAwait(false);
        if (txt.Count > 1)
        {
            throw new DbTlsException(FindingCodes.DnsSrvRecordInvalid, $"{srvHost} has {txt.Count} TXT records; drivers allow at most one");
        }

        var sources = spec.Sources.ToBuilder();
        sources.Add($"hosts: DNS SRV {srvName} ({hosts.Count} record(s))");
        string? txtOptions = null;
        if (txt.Count == 1)
        {
            txtOptions = string.Concat(txt[0]);
            foreach (var pair in txtOptions.Split('&'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new DbTlsException(FindingCodes.DnsSrvRecordInvalid, $"the TXT record of {srvHost} holds '{pair}', which is not a key=value option");
                }

                if (!AllowedTxtOptions.Contains(pair[..eq].ToLowerInvariant()))
                {
                    throw new DbTlsException(FindingCodes.DnsSrvRecordInvalid,
                        $"the TXT record of {srvHost} sets '{pair[..eq]}'; only authSource, replicaSet and loadBalanced may come from DNS");
                }
            }
        }

        // The TXT options are defaults: the URI's own options win, so they are placed first and the URI's after them.
        var merged = txtOptions is null ? spec : MergeTxtOptions(uri, txtOptions, options);

        // The parser refuses loadBalanced=true with several hosts in the URI; an SRV name stands for one host
        // until DNS answers, so the same rule applies here, before any seed is tried (the spec makes it an error).
        if (merged.LoadBalanced && hosts.Count > 1)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"loadBalanced=true{(txtOptions is null ? string.Empty : " (URI or DNS TXT)")} cannot be used with several hosts, and {srvName} resolves to {hosts.Count}",
                "Point the SRV record at the load balancer alone, or remove loadBalanced=true.");
        }

        var selected = SelectHosts(hosts.ToImmutable(), spec.SrvMaxHosts);
        if (txtOptions is not null)
        {
            sources.Add($"options from DNS TXT {srvHost}: {txtOptions}");
        }

        return merged with { Hosts = selected, Sources = sources.ToImmutable().AddRange(merged.Sources.Except(spec.Sources)) };
    }

    /// <summary>The rule of the spec: the target must end with the SRV name's domain (its name without the first label when it has three or more), and be longer than it.</summary>
    internal static bool IsInDomain(string target, string srvHost)
    {
        var labels = srvHost.Split('.');
        var domain = labels.Length >= 3 ? string.Join('.', labels[1..]) : srvHost;
        if (!target.EndsWith("." + domain, StringComparison.Ordinal))
        {
            return false;
        }

        // With fewer than three labels the target must have at least one more label than the SRV name.
        return labels.Length >= 3 || target.Split('.').Length > labels.Length;
    }

    private static ImmutableArray<MongoHost> SelectHosts(ImmutableArray<MongoHost> hosts, int max)
    {
        if (max <= 0 || max >= hosts.Length)
        {
            return hosts;
        }

        var shuffled = hosts.ToArray();
        System.Security.Cryptography.RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        return [.. shuffled.Take(max)];
    }

    private static MongoConnectionSpec MergeTxtOptions(string uri, string txtOptions, MongoClientOptions? options)
    {
        var question = uri.IndexOf('?', StringComparison.Ordinal);
        string combined;
        if (question < 0)
        {
            combined = uri + "?" + txtOptions;
        }
        else
        {
            var uriOptions = uri[(question + 1)..];
            var separator = uriOptions.Contains(';', StringComparison.Ordinal) && !uriOptions.Contains('&', StringComparison.Ordinal) ? ";" : "&";
            combined = uri[..(question + 1)] + txtOptions.Replace("&", separator, StringComparison.Ordinal) + (uriOptions.Length == 0 ? string.Empty : separator + uriOptions);
        }
        var spec = MongoConnectionString.Parse(combined, options);

        // The TXT pair and a URI pair for the same key are not a user's repetition; drop that warning.
        return spec with
        {
            RedactedUri = MongoConnectionString.Parse(uri, options).RedactedUri,
            Findings = [.. spec.Findings.Where(f => !(f.Code == FindingCodes.ConfigWarning && f.Message.Contains("more than once", StringComparison.Ordinal)))],
        };
    }
}
