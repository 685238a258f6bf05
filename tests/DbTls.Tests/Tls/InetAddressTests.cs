using System.Runtime.InteropServices;
using DbTls.Tls.HostNames;

namespace DbTls.Tests.Tls;

public class InetAddressTests
{
    public static TheoryData<string, string?> AtonCases => new()
    {
        { "127.0.0.1", "7F000001" },
        { "127.000.000.001", "7F000001" },   // leading zeros are octal; 000 and 001 are still 0 and 1
        { "127.1", "7F000001" },             // a.b: b fills 24 bits
        { "127.0.1", "7F000001" },           // a.b.c: c fills 16 bits
        { "0x7f.0.0.1", "7F000001" },
        { "0X7F.0.0.1", "7F000001" },
        { "0177.0.0.1", "7F000001" },        // octal
        { "2130706433", "7F000001" },        // a: 32 bits
        { "0x7f000001", "7F000001" },
        { "017700000001", "7F000001" },
        { "10.0.0.010", "0A000008" },        // 010 octal = 8
        { "1.2.3.4 trailing", "01020304" },  // glibc ignores everything after whitespace
        { "1.2.3.4\t", "01020304" },
        { "255.255.255.255", "FFFFFFFF" },
        { "4294967295", "FFFFFFFF" },
        { "0", "00000000" },
        { "0x", null },                      // strtoul stops at 'x': trailing garbage
        { "08.0.0.1", null },                // 8 is not an octal digit
        { "256.0.0.1", null },
        { "1.2.3.256", null },
        { "1.2.65536", null },
        { "1.16777216", null },
        { "4294967296", null },
        { "99999999999999999999999", null },
        { "1.2.3.4.5", null },
        { "1.2.3.", null },
        { ".1.2.3", null },
        { "", null },
        { " 1.2.3.4", null },
        { "+1.2.3.4", null },
        { "db.test", null },
        { "::1", null },
        { "1.2.3.4x", null },
        { "0x1g", null },
    };

    [Theory]
    [MemberData(nameof(AtonCases))]
    public void InetAton_follows_glibc(string host, string? expected)
    {
        var ok = InetAddress.TryInetAton(host, out var bytes);
        Assert.Equal(expected is not null, ok);
        if (expected is not null)
        {
            Assert.Equal(expected, Convert.ToHexString(bytes));
        }
    }

    public static TheoryData<string, string?> Pton6Cases => new()
    {
        { "::1", "00000000000000000000000000000001" },
        { "0:0:0:0:0:0:0:1", "00000000000000000000000000000001" },
        { "0000:0000:0000:0000:0000:0000:0000:0001", "00000000000000000000000000000001" },
        { "::ffff:127.0.0.1", "00000000000000000000FFFF7F000001" },
        { "::127.0.0.1", "0000000000000000000000007F000001" },
        { "2001:DB8::", "20010DB8000000000000000000000000" },
        { "::", "00000000000000000000000000000000" },
        { "1::2:3", "00010000000000000000000000020003" },
        { "[::1]", null },
        { "::1%lo", null },
        { ":1", null },
        { "1:", null },
        { "1:::2", null },
        { "1::2::3", null },
        { "12345::", null },
        { "1:2:3:4:5:6:7:8:9", null },
        { "1:2:3:4:5:6:7::8", null },        // '::' standing for zero groups
        { "::ffff:127.0.0.01", null },       // inet_pton4 forbids leading zeros
        { "::ffff:127.1", null },
        { "127.0.0.1", null },
        { "", null },
    };

    [Theory]
    [MemberData(nameof(Pton6Cases))]
    public void InetPton6_follows_glibc(string host, string? expected)
    {
        var ok = InetAddress.TryInetPton6(host, out var bytes);
        Assert.Equal(expected is not null, ok);
        if (expected is not null)
        {
            Assert.Equal(expected, Convert.ToHexString(bytes));
        }
    }

    /// <summary>Cross-check against the real glibc functions libpq calls, for every case above and a few more.</summary>
    [Fact]
    public void Agrees_with_the_C_library()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string[] extra = ["1", "1.", "00", "0x0", "0x.1", "0xffffffff", "0x100000000", "07777777777", "040000000000", "1.2.3.4\n5", "1.2.3.4 ", "1.0xff.0377.255", "::ffff:1.2.3.4", "a::b", "A:B:C:D:E:F:1:2", "fe80::1%eth0", "1.2.3.4 x", "١.2.3.4"];
        var inputs = AtonCases.Select(r => (string)r[0]).Concat(Pton6Cases.Select(r => (string)r[0])).Concat(extra).Distinct();
        foreach (var input in inputs)
        {
            var cOk = Native.inet_aton(input, out var cAddr) != 0;
            var ok = InetAddress.TryInetAton(input, out var bytes);
            Assert.True(cOk == ok, $"inet_aton(\"{input}\"): glibc {cOk}, ours {ok}");
            if (ok)
            {
                Assert.Equal(BitConverter.GetBytes(cAddr), bytes); // s_addr is already in network order in memory
            }

            var buffer = new byte[16];
            var c6 = Native.inet_pton(10 /* AF_INET6 */, input, buffer) == 1;
            var ok6 = InetAddress.TryInetPton6(input, out var bytes6);
            Assert.True(c6 == ok6, $"inet_pton6(\"{input}\"): glibc {c6}, ours {ok6}");
            if (ok6)
            {
                Assert.Equal(buffer, bytes6);
            }
        }
    }

    [Theory]
    [InlineData("7F000001", "127.0.0.1")]
    [InlineData("00000000000000000000000000000001", "::1")]
    [InlineData("00000000000000000000FFFF7F000001", "::ffff:127.0.0.1")]
    [InlineData("0000000000000000000000007F000001", "::127.0.0.1")]
    [InlineData("20010DB8000000000000000000000001", "2001:db8::1")]
    [InlineData("20010DB8000000010000000000000000", "2001:db8:0:1::")]
    [InlineData("00000000000000000000000000000000", "::")]
    public void Formats_like_pg_inet_net_ntop(string hex, string expected) =>
        Assert.Equal(expected, InetAddress.Format(Convert.FromHexString(hex)));

    private static class Native
    {
        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int inet_aton(string cp, out uint addr);

        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int inet_pton(int af, string src, byte[] dst);
    }
}
