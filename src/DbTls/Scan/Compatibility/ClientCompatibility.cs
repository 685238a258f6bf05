using DbTls.Scan.Probe;

namespace DbTls.Scan.Compatibility;

/// <summary>
/// "Who can still connect": for each client's default offer, what this server would negotiate with it, computed from
/// the scan (accepted versions, suites and their order, groups) the way a TLS server chooses: the highest common
/// version, then the suite by the server's preference (or the client's, when the server follows the client), with a
/// common group for ephemeral key exchange.
/// </summary>
internal static class ClientCompatibility
{
    public static List<ScanClientReport> Assess(ScanReport report, ScanProtocol protocol, IReadOnlyList<ClientTlsDefaults> clients)
    {
        var results = new List<ScanClientReport>();
        foreach (var client in clients.Where(c => c.Paths.Contains(protocol)))
        {
            var result = new ScanClientReport { Client = client.Client, Environment = client.Environment };
            foreach (var version in client.Versions)
            {
                var server = report.Versions.FirstOrDefault(v => v.Accepted && TlsVersions.TryParse(v.Version, out var id) && id == version);
                if (server is null || Choose(server, version, client) is not { } chosen)
                {
                    continue;
                }

                result.Connects = true;
                result.Version = server.Version;
                result.Suite = CipherSuite.Of(chosen.Suite).Name;
                result.Group = chosen.Group is { } g ? NamedGroup.Of(g).Name : null;
                break;
            }

            result.Reason = result.Connects ? null : "no TLS version and suite in common with the server";
            results.Add(result);
        }

        return results;
    }

    private static (ushort Suite, ushort? Group)? Choose(ScanVersionReport server, ushort version, ClientTlsDefaults client)
    {
        var serverSuites = server.Suites.Select(s => Convert.ToUInt16(s.Id, 16)).ToArray();
        var serverGroups = server.Groups.ToHashSet(StringComparer.Ordinal);
        // The group the client would end with; with no group known for this version (a server scanned without groups), any.
        ushort? group = serverGroups.Count == 0 ? null : client.Groups.Cast<ushort?>().FirstOrDefault(g => serverGroups.Contains(NamedGroup.Of(g!.Value).Name));
        bool Usable(ushort id)
        {
            var suite = CipherSuite.Of(id);
            var needsGroup = version == TlsVersions.Tls13 || suite.Ecdhe;
            return client.Suites.Contains(id) && (!needsGroup || group is not null || serverGroups.Count == 0);
        }

        var order = server.Order == "client" ? client.Suites.Where(serverSuites.Contains) : serverSuites;
        foreach (var id in order)
        {
            if (Usable(id))
            {
                return (id, version == TlsVersions.Tls13 || CipherSuite.Of(id).Ecdhe ? group : null);
            }
        }

        return null;
    }
}
