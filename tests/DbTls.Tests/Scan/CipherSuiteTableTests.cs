using DbTls.Scan;
using DbTls.Scan.Probe;

namespace DbTls.Tests.Scan;

public sealed class CipherSuiteTableTests
{
    [Fact]
    public void Every_code_point_is_listed_once_and_a_tls12_probe_offers_the_legacy_suites_old_servers_accept()
    {
        var ids = CipherSuiteTable.All.Select(s => s.Id).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());

        var offered = CipherSuite.ForVersion(TlsVersions.Tls12).Select(s => s.Id).ToHashSet();
        // 3DES, RC4, single DES, SEED (OpenSSL 1.1 servers accept it; bench/scan.sh found it on PostgreSQL 18).
        Assert.Superset(new HashSet<ushort> { 0x000A, 0xC012, 0x0005, 0xC011, 0x0009, 0x0096, 0x009A }, offered);
        Assert.DoesNotContain((ushort)0x1301, offered);
    }

    [Theory]
    [InlineData(0x000A, true)]  // 3DES
    [InlineData(0x0005, true)]  // RC4
    [InlineData(0x0009, true)]  // single DES
    [InlineData(0x0007, true)]  // IDEA
    [InlineData(0x0008, true)]  // EXPORT
    [InlineData(0x00A7, true)]  // anonymous
    [InlineData(0x0096, false)] // SEED: CBC and no forward secrecy, both their own findings, but not broken
    [InlineData(0xC02F, false)]
    public void Weak_ciphers_are_the_broken_and_the_unauthenticated(int id, bool weak)
    {
        Assert.Equal(weak, ScanFindings.Weak(CipherSuite.Of((ushort)id)));
    }
}
