using System.Text;

namespace DbTls.Dialects.Mongo;

/// <summary>Percent-decoding as PyMongo's <c>unquote_plus</c> does it: <c>+</c> is a space, bytes are UTF-8.</summary>
internal static class MongoPercentEncoding
{
    /// <summary>True when a '%' is not followed by two hex digits (the connection-string spec makes that an error in userinfo).</summary>
    public static bool HasUnescapedPercent(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decodes %XX sequences as UTF-8 (invalid sequences become U+FFFD, as Python's default does) and, when asked, '+' as a space.</summary>
    public static string Decode(string s, bool plusAsSpace)
    {
        if (s.IndexOf('%', StringComparison.Ordinal) < 0 && (!plusAsSpace || s.IndexOf('+', StringComparison.Ordinal) < 0))
        {
            return s;
        }

        var result = new StringBuilder(s.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%' && i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
            {
                bytes.Add((byte)((Uri.FromHex(s[i + 1]) << 4) | Uri.FromHex(s[i + 2])));
                i += 2;
                continue;
            }

            Flush(bytes, result);
            result.Append(plusAsSpace && c == '+' ? ' ' : c);
        }

        Flush(bytes, result);
        return result.ToString();
    }

    private static void Flush(List<byte> bytes, StringBuilder result)
    {
        if (bytes.Count > 0)
        {
            result.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }
}
