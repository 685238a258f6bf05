namespace DbTls.Dialects.Libpq;

/// <summary>The libpq keyword a misspelt one was most likely meant to be (at most two edits away).</summary>
internal static class KeywordSuggestion
{
    private const int MaxEdits = 2;

    public static string? For(string name)
    {
        string? best = null;
        var bestDistance = MaxEdits + 1;
        foreach (var keyword in LibpqKeywords.InOrder)
        {
            // Short keywords are too close to too much (a password's tail could be two edits from "port").
            if (keyword.Name.Length < 5)
            {
                continue;
            }

            var distance = Distance(name.ToLowerInvariant(), keyword.Name);
            if (distance < bestDistance)
            {
                best = keyword.Name;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance, capped: anything beyond <see cref="MaxEdits"/> counts as too far.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > MaxEdits)
        {
            return MaxEdits + 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
