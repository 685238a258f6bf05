using System.Text;

namespace DbTls.Tls.HostNames;

/// <summary>Addresses back to text, as PostgreSQL prints them in its messages.</summary>
internal static partial class InetAddress
{
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
}
