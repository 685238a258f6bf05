using DbTls.Diagnostics;

namespace DbTls.Dialects.SqlClient;

/// <summary>
/// Masks passwords in <c>key=value;</c> strings (SqlClient, and Npgsql's which share the syntax) by splitting
/// them with SqlClient's own grammar, also when the string is refused later for its content.
/// </summary>
internal static class SqlClientRedactor
{
    public static string Redact(string connectionString)
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
            if (!IsSecret(pairs[i].Key) || pairs[i].ValueStart < 0)
            {
                continue;
            }

            // An unquoted password containing ';' splits into pairs whose keys are unknown: mask through them.
            var start = pairs[i].ValueStart;
            var end = pairs[i].ValueEnd;
            var quoted = connectionString[start] is '"' or '\'';
            while (!quoted && i + 1 < pairs.Count && SqlClientKeywords.Canonical(pairs[i + 1].Key) is null)
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
