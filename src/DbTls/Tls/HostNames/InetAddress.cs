using System.Text;

namespace DbTls.Tls.HostNames;

/// <summary>
/// glibc's <c>inet_aton</c> and <c>inet_pton(AF_INET6)</c>, reproduced exactly, because libpq uses
/// them to decide whether the host is an IP address and to turn it into bytes for comparison with
/// iPAddress SANs. .NET's <see cref="System.Net.IPAddress.TryParse(string?, out System.Net.IPAddress?)"/>
/// accepts other forms (brackets, zone ids) and must not be used for this.
/// </summary>
public static class InetAddress
{
    /// <summary>
    /// inet_aton: one to four parts separated by '.', each a C integer literal (0x hex, leading-0
    /// octal, else decimal); the last part fills the remaining bytes (a.b.c.d, a.b.c, a.b, a).
    /// Like glibc, anything after a whitespace character is ignored.
    /// </summary>
    public static bool TryInetAton(string host, out byte[] address)
    {
        ArgumentNullException.ThrowIfNull(host);
        address = [];
        var s = CString(host);
        var parts = new byte[4];
        var count = 0;
        var i = 0;
        ulong value;
        while (true)
        {
            if (!IsDigit(At(s, i)))
            {
                return false;
            }

            if (!TryStrToUL(s, ref i, out value) || value > 0xFFFF_FFFF)
            {
                return false;
            }

            if (At(s, i) != (byte)'.')
            {
                break;
            }

            if (count > 2 || value > 0xFF)
            {
                return false;
            }

            parts[count++] = (byte)value;
            i++;
        }

        var c = At(s, i);
        if (c != 0 && !IsSpace(c))
        {
            return false;
        }

        ulong[] max = [0xFFFF_FFFF, 0xFF_FFFF, 0xFFFF, 0xFF];
        if (value > max[count])
        {
            return false;
        }

        // res.word | htonl(val): the last part occupies the low-order bytes that the dotted parts left free.
        address =
        [
            (byte)(parts[0] | (byte)(value >> 24)),
            (byte)(parts[1] | (byte)(value >> 16)),
            (byte)(parts[2] | (byte)(value >> 8)),
            (byte)(parts[3] | (byte)value),
        ];
        return true;
    }

    /// <summary>inet_pton(AF_INET6): RFC 4291 text form, at most one "::", optional trailing dotted quad; no brackets, no zone id.</summary>
    public static bool TryInetPton6(string host, out byte[] address)
    {
        ArgumentNullException.ThrowIfNull(host);
        address = [];
        var src = CString(host);
        var end = src.Length;
        var tmp = new byte[16];
        var tp = 0;
        var colonp = -1;
        var i = 0;
        if (end == 0)
        {
            return false;
        }

        if (src[0] == (byte)':')
        {
            i++;
            if (i == end || src[i] != (byte)':')
            {
                return false;
            }
        }

        var curtok = i;
        var xdigits = 0;
        uint val = 0;
        while (i < end)
        {
            var ch = src[i++];
            var digit = HexValue(ch);
            if (digit >= 0)
            {
                if (xdigits == 4)
                {
                    return false;
                }

                val = (val << 4) | (uint)digit;
                xdigits++;
                continue;
            }

            if (ch == (byte)':')
            {
                curtok = i;
                if (xdigits == 0)
                {
                    if (colonp >= 0)
                    {
                        return false;
                    }

                    colonp = tp;
                    continue;
                }

                if (i == end || tp + 2 > 16)
                {
                    return false;
                }

                tmp[tp++] = (byte)(val >> 8);
                tmp[tp++] = (byte)val;
                xdigits = 0;
                val = 0;
                continue;
            }

            if (ch == (byte)'.' && tp + 4 <= 16 && TryInetPton4(src.AsSpan(curtok, end - curtok), tmp.AsSpan(tp, 4)))
            {
                tp += 4;
                xdigits = 0;
                break;
            }

            return false;
        }

        if (xdigits > 0)
        {
            if (tp + 2 > 16)
            {
                return false;
            }

            tmp[tp++] = (byte)(val >> 8);
            tmp[tp++] = (byte)val;
        }

        if (colonp >= 0)
        {
            if (tp == 16)
            {
                return false; // "::" would stand for zero groups
            }

            var n = tp - colonp;
            Array.Copy(tmp, colonp, tmp, 16 - n, n);
            Array.Clear(tmp, colonp, 16 - n - colonp);
            tp = 16;
        }

        if (tp != 16)
        {
            return false;
        }

        address = tmp;
        return true;
    }

    /// <summary>Whether libpq treats the host as an IP address (fe-secure-openssl.c is_ip_address).</summary>
    /// <summary>inet_pton(AF_INET): exactly four decimal parts of at most 255, no leading zeros, nothing else.</summary>
    public static bool TryInetPton4(string host, out byte[] address)
    {
        ArgumentNullException.ThrowIfNull(host);
        var parsed = new byte[4];
        var ok = TryInetPton4(CString(host), parsed);
        address = ok ? parsed : [];
        return ok;
    }

    public static bool IsIpAddress(string host) => TryInetAton(host, out _) || TryInetPton6(host, out _);

    /// <summary>
    /// The text PostgreSQL's pg_inet_net_ntop prints for a certificate's iPAddress (full-length mask):
    /// dotted quad, or RFC 5952-like IPv6 with an embedded dotted quad for ::a.b.c.d and ::ffff:a.b.c.d.
    /// </summary>
    public static string Format(ReadOnlySpan<byte> address)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (address.Length == 4)
        {
            return string.Join('.', address[0], address[1], address[2], address[3]);
        }

        if (address.Length != 16)
        {
            return Convert.ToHexString(address);
        }

        var words = new int[8];
        for (var k = 0; k < 16; k++)
        {
            words[k / 2] |= address[k] << ((1 - (k % 2)) * 8);
        }

        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (var k = 0; k < 8; k++)
        {
            if (words[k] == 0)
            {
                if (curBase == -1)
                {
                    curBase = k;
                    curLen = 1;
                }
                else
                {
                    curLen++;
                }
            }
            else if (curBase != -1)
            {
                if (bestBase == -1 || curLen > bestLen)
                {
                    (bestBase, bestLen) = (curBase, curLen);
                }

                curBase = -1;
            }
        }

        if (curBase != -1 && (bestBase == -1 || curLen > bestLen))
        {
            (bestBase, bestLen) = (curBase, curLen);
        }

        if (bestBase != -1 && bestLen < 2)
        {
            bestBase = -1;
        }

        var sb = new StringBuilder();
        for (var k = 0; k < 8; k++)
        {
            if (bestBase != -1 && k >= bestBase && k < bestBase + bestLen)
            {
                if (k == bestBase)
                {
                    sb.Append(':');
                }

                continue;
            }

            if (k != 0)
            {
                sb.Append(':');
            }

            if (k == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 7 && words[7] != 1) || (bestLen == 5 && words[5] == 0xFFFF)))
            {
                sb.Append(inv, $"{address[12]}.{address[13]}.{address[14]}.{address[15]}");
                return sb.ToString();
            }

            sb.Append(words[k].ToString("x", inv));
        }

        if (bestBase != -1 && bestBase + bestLen == 8)
        {
            sb.Append(':');
        }

        return sb.ToString();
    }

    private static bool TryInetPton4(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        Span<byte> tmp = stackalloc byte[4];
        tmp.Clear();
        var tp = 0;
        var sawDigit = false;
        var octets = 0;
        foreach (var ch in src)
        {
            if (ch is >= (byte)'0' and <= (byte)'9')
            {
                var next = (tmp[tp] * 10) + (ch - '0');
                if (sawDigit && tmp[tp] == 0)
                {
                    return false; // no leading zeros
                }

                if (next > 255)
                {
                    return false;
                }

                tmp[tp] = (byte)next;
                if (!sawDigit)
                {
                    if (++octets > 4)
                    {
                        return false;
                    }

                    sawDigit = true;
                }
            }
            else if (ch == (byte)'.' && sawDigit)
            {
                if (octets == 4)
                {
                    return false;
                }

                tmp[++tp] = 0;
                sawDigit = false;
            }
            else
            {
                return false;
            }
        }

        if (octets < 4)
        {
            return false;
        }

        tmp.CopyTo(dst);
        return true;
    }

    /// <summary>strtoul(cp, &amp;end, 0) starting at a digit: 0x/0X hex (only if a hex digit follows), leading 0 octal, else decimal.</summary>
    private static bool TryStrToUL(byte[] s, ref int i, out ulong value)
    {
        value = 0;
        var radix = 10u;
        if (At(s, i) == (byte)'0')
        {
            if ((At(s, i + 1) | 0x20) == (byte)'x' && HexValue(At(s, i + 2)) >= 0)
            {
                radix = 16;
                i += 2;
            }
            else
            {
                radix = 8;
            }
        }

        var overflow = false;
        while (true)
        {
            var d = HexValue(At(s, i));
            if (d < 0 || d >= radix)
            {
                break;
            }

            // Anything above 32 bits is rejected by inet_aton anyway, so saturate instead of wrapping.
            value = value > 0xFFFF_FFFF_FFFFuL ? value : (value * radix) + (uint)d;
            overflow |= value > 0xFFFF_FFFF;
            i++;
        }

        return !overflow;
    }

    /// <summary>The bytes C would see: UTF-8, ending at the first NUL.</summary>
    private static byte[] CString(string s)
    {
        var nul = s.IndexOf('\0', StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(nul >= 0 ? s[..nul] : s);
    }

    private static byte At(byte[] s, int i) => i < s.Length ? s[i] : (byte)0;

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    // isspace() in the C locale.
    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
