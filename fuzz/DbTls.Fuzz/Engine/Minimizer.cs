namespace DbTls.Fuzz.Engine;

/// <summary>
/// Shrinks a crashing input while it still crashes the same way (same crash key): removes chunks of
/// halving size, then zeroes bytes. Bounded in attempts so a slow target cannot stall the run.
/// </summary>
internal static class Minimizer
{
    public static byte[] Minimize(byte[] input, Func<byte[], string?> crashKey, int maxAttempts = 4000)
    {
        var key = crashKey(input);
        if (key is null)
        {
            return input;
        }

        var best = input;
        var attempts = 0;
        for (var chunk = Math.Max(1, best.Length / 2); chunk >= 1 && attempts < maxAttempts; chunk /= 2)
        {
            for (var start = 0; start < best.Length && attempts < maxAttempts;)
            {
                var candidate = new byte[best.Length - Math.Min(chunk, best.Length - start)];
                best.AsSpan(0, start).CopyTo(candidate);
                best.AsSpan(Math.Min(best.Length, start + chunk)).CopyTo(candidate.AsSpan(start));
                attempts++;
                if (crashKey(candidate) == key)
                {
                    best = candidate;
                }
                else
                {
                    start += chunk;
                }
            }
        }

        for (var i = 0; i < best.Length && attempts < maxAttempts; i++)
        {
            if (best[i] == 0)
            {
                continue;
            }

            var candidate = (byte[])best.Clone();
            candidate[i] = 0;
            attempts++;
            if (crashKey(candidate) == key)
            {
                best = candidate;
            }
        }

        return best;
    }
}
