using System.Text;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// Percent-decoding of one URI component as libpq does it (conninfo_uri_decode): %XY with two hex
/// digits in either case, %00 forbidden, leading and trailing spaces dropped and a space inside
/// rejected. The decoded bytes are read as UTF-8.
/// </summary>
internal static class PercentDecoder
{
    /// <param name="raw">The component as written.</param>
    /// <param name="secret">Whether the component is a password: then errors never echo it.</param>
    public static string Decode(string raw, bool secret)
    {
        var shown = secret ? "********" : raw;
        var bytes = new List<byte>(raw.Length);
        var i = 0;
        while (i < raw.Length && raw[i] == ' ')
        {
            i++;
        }

        Span<byte> utf8 = stackalloc byte[4];
        while (i < raw.Length && raw[i] != ' ')
        {
            if (raw[i] != '%')
            {
                // Copy the character as UTF-8, keeping surrogate pairs together.
                var length = char.IsHighSurrogate(raw[i]) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]) ? 2 : 1;
                var written = Encoding.UTF8.GetBytes(raw.AsSpan(i, length), utf8);
                for (var b = 0; b < written; b++)
                {
                    bytes.Add(utf8[b]);
                }

                i += length;
                continue;
            }

            if (i + 2 >= raw.Length || !TryHex(raw[i + 1], out var hi) || !TryHex(raw[i + 2], out var lo))
            {
                throw LibpqErrors.Invalid(
                    secret ? "invalid percent-encoded token in the password of the URI" : $"invalid percent-encoded token: \"{shown}\"",
                    "Write a literal % as %25; every % must be followed by two hexadecimal digits.");
            }

            var value = (byte)((hi << 4) | lo);
            if (value == 0)
            {
                throw LibpqErrors.Invalid(
                    secret ? "forbidden value %00 in the percent-encoded password of the URI" : $"forbidden value %00 in percent-encoded value: \"{shown}\"",
                    "Remove the %00: connection parameters cannot contain a NUL character.");
            }

            bytes.Add(value);
            i += 3;
        }

        while (i < raw.Length && raw[i] == ' ')
        {
            i++;
        }

        if (i < raw.Length)
        {
            throw LibpqErrors.Invalid(
                secret
                    ? "unexpected spaces found in the password of the URI, use percent-encoded spaces (%20) instead"
                    : $"unexpected spaces found in \"{shown}\", use percent-encoded spaces (%20) instead",
                "Percent-encode spaces inside URI components as %20.");
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
