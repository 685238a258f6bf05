using DbTls.Diagnostics;

namespace DbTls.Dialects.SqlClient;

/// <summary>
/// Masks passwords in <c>key=value;</c> strings (SqlClient, and Npgsql's which share the syntax) by splitting
/// them with SqlClient's own grammar, also when the string is refused later for its content.
/// </summary>
internal static class SqlClientRedactor
{
    public static string Redact(string connectionString) =>
        Redact(connectionString, IsSecret, key => SqlClientKeywords.Canonical(key) is not null);

    /// <summary>The same masking with another driver's keyword table (Npgsql's strings share this grammar).</summary>
    /// <param name="isSecret">Whether a lower-cased key holds a secret.</param>
    /// <param name="isKnown">Whether a lower-cased key is one the driver knows; unknown keys after an unquoted secret are masked with it.</param>
    internal static string Redact(string connectionString, Func<string, bool> isSecret, Func<string, bool> isKnown)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        List<SqlClientPair> pairs;
        try
        {
            pairs = SqlClientConnectionStringParser.Parse(connectionString);
        }
        catch (DbTlsException)
        {
            return Redaction.Unparsable(connectionString);
        }

        var ranges = new List<(int Start, int End)>();
        for (var i = 0; i < pairs.Count; i++)
        {
            if (!isSecret(pairs[i].Key) || pairs[i].ValueStart < 0)
            {
                continue;
            }

            // An unquoted password containing ';' splits into pairs whose keys are unknown: mask through them.
            var start = pairs[i].ValueStart;
            var end = pairs[i].ValueEnd;
            var quoted = connectionString[start] is '"' or '\'';
            while (!quoted && i + 1 < pairs.Count && !isKnown(pairs[i + 1].Key))
            {
                i++;
                end = Math.Max(end, pairs[i].ValueEnd);
            }

            ranges.Add((start, end));
        }

        return Redaction.MaskRanges(connectionString, ranges);
    }

    private static bool IsSecret(string lowerCaseKey) =>
        SqlClientKeywords.Canonical(lowerCaseKey) == SqlClientKeywords.Password || Redaction.MayNameSecret(lowerCaseKey);
}
