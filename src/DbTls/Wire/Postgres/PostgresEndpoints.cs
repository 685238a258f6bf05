using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>Turns libpq's host/hostaddr/port into the socket addresses to try, in libpq's order.</summary>
internal static class PostgresEndpoints
{
    /// <summary>
    /// hostaddr wins when given (no name lookup; the host name is still used for TLS). A host that
    /// starts with '/' (or '@' for the abstract namespace) is a Unix-domain socket directory. Numeric
    /// hosts are parsed the way glibc's getaddrinfo does, which accepts inet_aton forms such as
    /// 127.1 or 127.000.000.001; anything else is looked up in DNS and every address is tried in order.
    /// </summary>
    public static async Task<IReadOnlyList<EndPoint>> ResolveAsync(string? host, string? hostAddress, int port, CancellationToken cancellationToken)
    {
        if (port is < 1 or > 65535)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"invalid port number {port}");
        }

        if (!string.IsNullOrEmpty(hostAddress))
        {
            if (!TryParseNumeric(hostAddress, out var address))
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not parse network address \"{hostAddress}\": hostaddr must be a numeric IPv4 or IPv6 address");
            }

            return [new IPEndPoint(address, port)];
        }

        if (string.IsNullOrEmpty(host))
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, "no host or hostaddr was given");
        }

        if (IsUnixSocket(host))
        {
            var directory = host[0] == '@' ? "\0" + host[1..] : host;
            return [new UnixDomainSocketEndPoint($"{directory.TrimEnd('/')}/.s.PGSQL.{port}")];
        }

        if (TryParseNumeric(host, out var literal))
        {
            return [new IPEndPoint(literal, port)];
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new DbTlsException(FindingCodes.NetUnreachable, $"could not translate host name \"{host}\" to address: {ex.Message}", inner: ex);
        }

        if (addresses.Length == 0)
        {
            throw new DbTlsException(FindingCodes.NetUnreachable, $"could not translate host name \"{host}\" to address: no addresses");
        }

        return addresses.Select(a => (EndPoint)new IPEndPoint(a, port)).ToList();
    }

    public static bool IsUnixSocket(string? host) => !string.IsNullOrEmpty(host) && (host[0] == '/' || host[0] == '@');

    /// <summary>An IPv6 literal, or an IPv4 address in any inet_aton form.</summary>
    public static bool TryParseNumeric(string text, out IPAddress address)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = v6;
                return true;
            }

            address = IPAddress.None;
            return false;
        }

        return TryParseInetAton(text, out address);
    }

    /// <summary>
    /// inet_aton as glibc's getaddrinfo applies it (exactly, no trailing text): one to four parts,
    /// each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes.
    /// </summary>
    public static bool TryParseInetAton(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return false;
        }

        Span<ulong> values = stackalloc ulong[4];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
            {
                return false;
            }
        }

        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (values[i] > 0xFF)
            {
                return false;
            }
        }

        var lastBits = 32 - (8 * (parts.Length - 1));
        var last = values[parts.Length - 1];
        if (last > (1UL << lastBits) - 1)
        {
            return false;
        }

        ulong result = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            result |= values[i] << (24 - (8 * i));
        }

        result |= last;
        Span<byte> bytes = [(byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result];
        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0 || !char.IsAsciiDigit(part[0]))
        {
            return false;
        }

        var radix = 10;
        var digits = part.AsSpan();
        if (part.Length > 1 && part[0] == '0')
        {
            if (part[1] is 'x' or 'X')
            {
                radix = 16;
                digits = digits[2..];
            }
            else
            {
                radix = 8;
                digits = digits[1..];
            }
        }

        foreach (var c in digits)
        {
            int digit;
            if (char.IsAsciiDigit(c))
            {
                digit = c - '0';
            }
            else if (radix == 16 && char.IsAsciiHexDigit(c))
            {
                digit = char.ToLowerInvariant(c) - 'a' + 10;
            }
            else
            {
                return false;
            }

            if (digit >= radix)
            {
                return false;
            }

            value = (value * (ulong)radix) + (ulong)digit;
            if (value > uint.MaxValue)
            {
                return false;
            }
        }

        return true;
    }
}
