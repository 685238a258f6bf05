using DbTls.Scan;

namespace DbTls.Tests.Scan;

/// <summary>The assertions every protocol path shares: dbtls' accepted set and per-version order against a scanner's, or against another dbtls scan.</summary>
internal static class ScanProtocolComparison
{
    /// <summary>
    /// Same (version, suite) set; where the server keeps its own order, the same suites in the same order; and, where the
    /// peer reports them, the same (version, signature algorithm) pairs. Groups: <see cref="SameGroups"/>.
    /// </summary>
    /// <remarks>
    /// Nothing is left out: a suite the peer reports and dbtls' table lacks (the SEED suites on PostgreSQL 18's
    /// OpenSSL were, until the table got them) fails the comparison.
    /// </remarks>
    public static void Equal(ScannerView peerView, ScanReport actual, string peer)
    {
        var expected = peerView;
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

        if (peerView.Signatures is { } peerSignatures && dbtls.Signatures is { } allOurs)
        {
            var comparable = actual.Versions.Where(SslscanCanProbeSignatures).Select(v => v.Version).ToHashSet();
            var signatures = peerSignatures.Where(s => comparable.Contains(s.Version)).ToHashSet();
            var ours = allOurs.Where(s => comparable.Contains(s.Version)).ToHashSet();
            Assert.True(Sorted(signatures).SequenceEqual(Sorted(ours)),
                $"{peer} and dbtls differ in signature algorithms on {actual.Target} ({actual.Protocol}):\n  only {peer}: {string.Join(", ", signatures.Except(ours))}\n  only dbtls: {string.Join(", ", ours.Except(signatures))}");
        }
    }

    /// <summary>The same (version, group) pairs as the peer reports.</summary>
    public static void SameGroups(ISet<(string Version, string Group)> expected, ScanReport actual, string peer)
    {
        var ours = ScannerView.Of(actual).Groups!;
        Assert.True(Sorted(expected).SequenceEqual(Sorted(ours)),
            $"{peer} and dbtls differ in groups on {actual.Target} ({actual.Protocol}):\n  only {peer}: {string.Join(", ", expected.Except(ours))}\n  only dbtls: {string.Join(", ", ours.Except(expected))}");
    }

    /// <summary>
    /// Whether sslscan's signature probes can reach a verdict with this version: below TLS 1.3 they carry no
    /// supported_groups, so a server whose only suites are ECDHE refuses every one of them (measured on OpenSSL 3.0,
    /// see ScanVersusScannersTests) and sslscan lists nothing; dbtls offers its groups and finds what the server signs.
    /// </summary>
    public static bool SslscanCanProbeSignatures(ScanVersionReport version) =>
        version.Version == "TLSv1.3" || version.Suites.Any(s => !s.Name.Contains("_ECDHE_", StringComparison.Ordinal));

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

    private static List<(string, string)> Sorted(IEnumerable<(string, string)> set) => [.. set.Order()];
}

/// <summary>Scans a loopback test server's port on one path.</summary>
internal static class ScanLoopback
{
    public static Task<ScanReport> ScanAsync(int port, ScanProtocol? protocol, TimeSpan? probeTimeout = null, bool signatures = false) =>
        TlsScanner.ScanAsync("127.0.0.1", port, new ScanOptions { Protocol = protocol, ProbeTimeout = probeTimeout ?? TimeSpan.FromSeconds(5), SignatureAlgorithms = signatures }, CancellationToken.None);

    public static System.Net.IPEndPoint EndPoint(int port) => new(System.Net.IPAddress.Loopback, port);
}
