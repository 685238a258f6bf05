namespace DbTls.Gates;

/// <summary>Reads the report's protocol names (<c>TLSv1.2</c>) and the gates' short form (<c>1.2</c>) as a TLS 1.x minor version.</summary>
public static class TlsVersions
{
    public static bool TryMinor(ReadOnlySpan<char> text, out int minor)
    {
        minor = 0;
        if (text.StartsWith("TLSv", StringComparison.Ordinal))
        {
            text = text[4..];
        }

        // Only 1.0 to 1.3 exist; anything else (SSLv3, garbage) is not a TLS 1.x version.
        if (text.Length != 3 || text[0] != '1' || text[1] != '.' || text[2] is < '0' or > '3')
        {
            return false;
        }

        minor = text[2] - '0';
        return true;
    }
}
