namespace DbTls.Tls.HostNames;

/// <summary>inet_pton for AF_INET and AF_INET6, as glibc parses them.</summary>
internal static partial class InetAddress
{
    /// <summary>inet_pton(AF_INET): exactly four decimal parts of at most 255, no leading zeros, nothing else.</summary>
    public static bool TryInetPton4(string host, out byte[] address)
    {
        ArgumentNullException.ThrowIfNull(host);
        var parsed = new byte[4];
        var ok = TryInetPton4(CString(host), parsed);
        address = ok ? parsed : [];
        return ok;
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
}
