using System.Text;

namespace DbTls.Tls.HostNames;

/// <summary>
/// glibc's <c>inet_aton</c> and <c>inet_pton(AF_INET6)</c>, reproduced exactly, because libpq uses
/// them to decide whether the host is an IP address and to turn it into bytes for comparison with
/// iPAddress SANs. .NET's <see cref="System.Net.IPAddress.TryParse(string?, out System.Net.IPAddress?)"/>
/// accepts other forms (brackets, zone ids) and must not be used for this.
/// </summary>
internal static partial class InetAddress
{
    /// <summary>Whether libpq treats the host as an IP address (fe-secure-openssl.c is_ip_address).</summary>
    public static bool IsIpAddress(string host) => TryInetAton(host, out _) || TryInetPton6(host, out _);

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
