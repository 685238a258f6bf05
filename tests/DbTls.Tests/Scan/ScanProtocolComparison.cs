using DbTls.Scan;
using DbTls.Scan.Probe;

namespace DbTls.Tests.Scan;

/// <summary>The assertions every protocol path shares: dbtls' accepted set and per-version order against a scanner's, or against another dbtls scan.</summary>
internal static class ScanProtocolComparison
{
    /// <summary>Same (version, suite) set; where the server keeps its own order, the same suites in the same order.</summary>
    /// <remarks>
    /// Suites that dbtls' cipher-suite table does not hold (sslscan names them by number: the SEED suites 0x0096
    /// and 0x009A on PostgreSQL 18's OpenSSL) are left out on both sides: dbtls cannot offer what it does not
    /// know, which is the probe engine's gap (Scan/Probe/CipherSuiteTable), not the way in tested here.
    /// </remarks>
    public static void Equal(ScannerView peerView, ScanReport actual, string peer)
    {
        var expected = KnownSuitesOnly(peerView);
        var dbtls = ScannerView.Of(actual);
        Assert.True(dbtls.Set.Count > 0, $"dbtls found nothing on {actual.Target} ({actual.Protocol})");
        Assert.True(Sorted(expected.Set).SequenceEqual(Sorted(dbtls.Set)),
            $"{peer} and dbtls differ on {actual.Target} ({actual.Protocol}):\n  only {peer}: {string.Join(", ", expected.Set.Except(dbtls.Set))}\n  only dbtls: {string.Join(", ", dbtls.Set.Except(expected.Set))}");
        foreach (var (version, suites) in dbtls.Suites)
        {
            var order = actual.Versions.Single(v => v.Version == version).Order;
            if (order == "server")
            {
                Assert.Equal(expected.Suites[version], suites);
            }

            if (expected.Preference.TryGetValue(version, out var preference) && suites.Count > 1)
            {
                Assert.Equal(preference, order);
            }
        }
    }

    /// <summary>Two dbtls scans of one server through two paths accept the same suites in the same order.</summary>
    public static void SamePosture(ScanReport expected, ScanReport actual)
    {
        Assert.True(ScannerView.Of(expected).Set.Count > 0);
        Assert.Equal(Sorted(ScannerView.Of(expected).Set), Sorted(ScannerView.Of(actual).Set));
        foreach (var version in expected.Versions.Where(v => v.Accepted))
        {
            var other = actual.Versions.Single(v => v.Version == version.Version);
            Assert.Equal(version.Suites.Select(s => s.Name), other.Suites.Select(s => s.Name));
            Assert.Equal(version.Order, other.Order);
            Assert.Equal(version.Groups, other.Groups);
        }
    }

    private static readonly HashSet<string> KnownNames = [.. CipherSuiteTable.All.Select(s => s.Name)];

    private static ScannerView KnownSuitesOnly(ScannerView view) => view with
    {
        Suites = view.Suites.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value.Where(KnownNames.Contains).ToList()),
    };

    private static List<(string, string)> Sorted(IEnumerable<(string, string)> set) => [.. set.Order()];
}

/// <summary>Scans a loopback test server's port on one path.</summary>
internal static class ScanLoopback
{
    public static Task<ScanReport> ScanAsync(int port, ScanProtocol? protocol, TimeSpan? probeTimeout = null) =>
        TlsScanner.ScanAsync("127.0.0.1", port, new ScanOptions { Protocol = protocol, ProbeTimeout = probeTimeout ?? TimeSpan.FromSeconds(5) }, CancellationToken.None);

    public static System.Net.IPEndPoint EndPoint(int port) => new(System.Net.IPAddress.Loopback, port);
}
