namespace DbTls.Dialects;

/// <summary>
/// The known key a misspelt one was most likely meant to be (at most two edits away, case-insensitive), for every
/// dialect's "did you mean" and for telling when an ignored key was meant to be a TLS setting.
/// </summary>
internal static class KeySuggestion
{
    private const int MaxEdits = 2;

    /// <param name="minLength">Shorter keys are skipped: they are too close to too much (a password's tail could be two edits from "port").</param>
    public static string? For(string name, IEnumerable<string> known, int minLength = 5)
    {
        var lower = name.ToLowerInvariant();
        string? best = null;
        var bestDistance = MaxEdits + 1;
        foreach (var key in known)
        {
            if (key.Length < minLength)
            {
                continue;
            }

            var distance = Distance(lower, key.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = key;
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
