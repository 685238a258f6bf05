using System.Buffers.Binary;
using System.Text;
using DbTls.Scan.Probe;

namespace DbTls.Tests.Scan;

/// <summary>The ClientHello as bytes, decoded here independently of the builder.</summary>
public sealed class ClientHelloBuilderTests
{
    [Fact]
    public void A_tls13_hello_offers_the_suites_in_order_supported_versions_and_real_key_shares()
    {
        var spec = new ClientHelloSpec
        {
            Version = TlsVersions.Tls13,
            Suites = [0x1303, 0x1301],
            KeyShareGroups = [29, 23, 24],
            Groups = [29, 23, 24],
            ServerName = "db.example",
            Alpn = ["postgresql"],
        };

        var hello = Decode(ClientHelloBuilder.Build(spec));

        Assert.Equal(0x0303, hello.LegacyVersion);
        Assert.Equal([0x1303, 0x1301], hello.Suites);
        Assert.Equal([2, 0x03, 0x04], hello.Extensions[43]); // one-byte list length, then 0x0304
        var shares = KeyShares(hello.Extensions[51]);
        Assert.Equal([(29, 32), (23, 65), (24, 97)], shares.Select(s => (s.Group, s.Key.Length)));
        Assert.All(shares.Where(s => s.Group != 29), s => Assert.Equal(4, s.Key[0])); // uncompressed points
        Assert.Contains("db.example", Encoding.ASCII.GetString(hello.Extensions[0]), StringComparison.Ordinal);
        Assert.Equal("\0\u000b\u000apostgresql", Encoding.ASCII.GetString(hello.Extensions[16]));
        Assert.True(hello.Extensions.ContainsKey(0xFF01));
        Assert.True(hello.Extensions.ContainsKey(13));
    }

    [Fact]
    public void A_tls10_hello_carries_its_version_and_no_tls12_or_tls13_extensions()
    {
        var hello = Decode(ClientHelloBuilder.Build(new ClientHelloSpec { Version = TlsVersions.Tls10, Suites = [0x002F] }));

        Assert.Equal(0x0301, hello.LegacyVersion);
        Assert.False(hello.Extensions.ContainsKey(43));
        Assert.False(hello.Extensions.ContainsKey(51));
        Assert.False(hello.Extensions.ContainsKey(13));
        Assert.False(hello.Extensions.ContainsKey(0)); // no SNI without a name
    }

    private sealed record DecodedHello(ushort LegacyVersion, List<ushort> Suites, Dictionary<ushort, byte[]> Extensions);

    private static DecodedHello Decode(byte[] record)
    {
        Assert.Equal(22, record[0]);
        Assert.Equal(record.Length - 5, BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(3)));
        var body = record.AsSpan(5);
        Assert.Equal(1, body[0]);
        Assert.Equal(body.Length - 4, (body[1] << 16) | (body[2] << 8) | body[3]);
        body = body[4..];
        var version = BinaryPrimitives.ReadUInt16BigEndian(body);
        var at = 2 + 32;
        at += 1 + body[at];
        var suitesLength = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        var suites = new List<ushort>();
        for (var i = 0; i < suitesLength; i += 2)
        {
            suites.Add(BinaryPrimitives.ReadUInt16BigEndian(body[(at + 2 + i)..]));
        }

        at += 2 + suitesLength;
        at += 1 + body[at];
        var extensions = new Dictionary<ushort, byte[]>();
        var total = BinaryPrimitives.ReadUInt16BigEndian(body[at..]);
        var rest = body.Slice(at + 2, total);
        Assert.Equal(body.Length, at + 2 + total);
        while (rest.Length > 0)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(rest);
            var length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            extensions.Add(type, rest.Slice(4, length).ToArray());
            rest = rest[(4 + length)..];
        }

        return new DecodedHello(version, suites, extensions);
    }

    private static List<(ushort Group, byte[] Key)> KeyShares(byte[] extension)
    {
        var shares = new List<(ushort, byte[])>();
        var rest = extension.AsSpan(2);
        Assert.Equal(rest.Length, BinaryPrimitives.ReadUInt16BigEndian(extension));
        while (rest.Length > 0)
        {
            var group = BinaryPrimitives.ReadUInt16BigEndian(rest);
            var length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            shares.Add((group, rest.Slice(4, length).ToArray()));
            rest = rest[(4 + length)..];
        }

        return shares;
    }
}
