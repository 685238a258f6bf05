using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Reports;
using Xunit.Abstractions;

namespace DbTls.Tests.Explain;

/// <summary>What a real driver made of one converted string: connected (and whether encrypted, when it can tell) or refused.</summary>
internal sealed record PeerVerdict(bool Connected, bool? Encrypted, string Detail)
{
    public override string ToString() =>
        Connected ? "connected" + (Encrypted is { } e ? e ? " (tls)" : " (plaintext)" : "") : $"refused ({Detail[..Math.Min(Detail.Length, 300)]})";
}

/// <summary>What dbtls check said: connected (and whether the application's data travel over TLS, not only the login) or not, in short.</summary>
internal sealed record DbtlsVerdict(bool Connected, bool Encrypted, string Summary)
{
    public static DbtlsVerdict Of(CheckReport report) =>
        new(report.Verdict == Verdicts.Ok, report.Protection is ProtectionLevels.Verified or ProtectionLevels.Encrypted,
            report.Verdict == Verdicts.Ok
                ? $"ok/{report.Protection}"
                : $"{report.Verdict}/" + string.Join(",", report.Findings.Where(f => f.Severity == "error").Select(f => f.Code).Order(StringComparer.Ordinal)));

    public override string ToString() => Summary;
}

/// <summary>One string converted to a target whose real driver is here: dbtls check on the original and on the conversion, and the driver on the conversion.</summary>
internal sealed record PeerRow(string Certificate, ConversionOutcome Conversion, DbtlsVerdict Original, DbtlsVerdict Converted, PeerVerdict Driver)
{
    /// <summary>Without secrets: the source as redacted by its dialect, the conversion with its password placeholder.</summary>
    public override string ToString() =>
        $"[{Certificate}] {Conversion.From} {Conversion.RedactedSource} → {Conversion.To} {Conversion.Rendered?.Text.ReplaceLineEndings("; ").Replace('\t', ' ')}: "
        + $"dbtls on the original {Original}, on the conversion {Converted}; the driver {Driver}";
}

/// <summary>How a row is judged: <see cref="Agrees"/>, a difference a named loss (or gain) of the conversion explains, or a disagreement.</summary>
internal sealed record PeerJudgement(bool Agrees, string? Explanation, string? Disagreement);

/// <summary>
/// The rules of the converted-string peer matrix (issue 13, "Proof"): the real driver of the target dialect must agree
/// with dbtls check on the converted string (dbtls speaks for that driver), and with dbtls check on the original string
/// unless the conversion named why it cannot: a weaker setting when the driver accepts what the original refused,
/// a stronger one when it refuses what the original accepted. Nothing is skipped silently.
/// </summary>
internal static class PeerJudge
{
    public static PeerJudgement Judge(PeerRow row)
    {
        var driver = row.Driver.Connected;
        if (row.Converted.Connected != driver)
        {
            return new(false, null, $"dbtls check on the converted string disagrees with the real driver: {row}");
        }

        if (driver && row.Driver.Encrypted is { } encrypted && encrypted != row.Converted.Encrypted)
        {
            return new(false, null, $"the real driver's session is {(encrypted ? "" : "not ")}encrypted, dbtls says otherwise: {row}");
        }

        if (row.Original.Connected == driver)
        {
            return new(true, null, null);
        }

        // The driver accepts what the original refused: only a named loss may explain it; the reverse needs a named gain.
        var needed = driver ? ConversionEffect.Weaker : ConversionEffect.Stronger;
        var named = row.Conversion.Rendered!.Notes.Concat(row.Conversion.Differences).Where(n => n.Effect == needed).ToList();
        return named.Count > 0
            ? new(false, $"{row} — explained by {needed.ToString().ToLowerInvariant()}: " + string.Join("; ", named.Select(n => $"{n.Setting}: {n.Message}")), null)
            : new(false, null, $"the conversion changed the verdict and names no {needed.ToString().ToLowerInvariant()} setting: {row}");
    }

    /// <summary>Every row and its judgement in the test's output: the measured matrix, differences and their explanations included.</summary>
    public static void Report(IReadOnlyList<PeerRow> rows, ITestOutputHelper output, Func<PeerRow, string?>? known = null)
    {
        foreach (var row in rows)
        {
            var judgement = Judge(row);
            output.WriteLine(
                judgement.Agrees ? $"agrees: {row}"
                : judgement.Explanation is { } e ? $"differs, {e}"
                : known?.Invoke(row) is { } reason ? $"KNOWN DISAGREEMENT ({reason}): {judgement.Disagreement}"
                : $"DISAGREES: {judgement.Disagreement}");
        }
    }

    /// <summary>
    /// Judges every row and fails with every disagreement at once. Also fails when the matrix is smaller than expected or
    /// could not tell anything apart (every driver verdict the same). <paramref name="known"/> names the rows of a
    /// disagreement measured and reported elsewhere (a failing test of its own): they may disagree, but at least one of
    /// them must, so that the allowance goes when the disagreement does.
    /// </summary>
    public static void AssertAll(IReadOnlyList<PeerRow> rows, int minimumRows, Func<PeerRow, string?>? known = null)
    {
        var judged = rows.Select(r => (Row: r, Judgement: Judge(r), Known: known?.Invoke(r))).ToList();
        var disagreements = judged.Where(j => j.Judgement.Disagreement is not null && j.Known is null).Select(j => j.Judgement.Disagreement!).ToList();
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {rows.Count} rows disagree:\n" + string.Join("\n", disagreements));
        Assert.True(rows.Count >= minimumRows, $"only {rows.Count} rows were compared, expected at least {minimumRows}");
        Assert.Contains(rows, r => r.Driver.Connected);
        Assert.Contains(rows, r => !r.Driver.Connected);
        if (judged.Any(j => j.Known is not null))
        {
            Assert.True(judged.Any(j => j.Known is not null && j.Judgement.Disagreement is not null), "the known disagreement is no longer measured: remove its allowance");
        }
    }

    /// <summary>The converted string as a user would finish it: the password placeholder replaced by the (escaped) password.</summary>
    public static string WithPassword(string converted, string escapedPassword) =>
        converted.Replace(RenderNotes.PasswordPlaceholder, escapedPassword, StringComparison.Ordinal);
}

/// <summary>Runs work items a few at a time: the servers have few connection slots (PostgreSQL: max_connections 40) and the machine few cores.</summary>
internal static class Throttle
{
    public static async Task<TResult[]> AllAsync<T, TResult>(IEnumerable<T> items, int limit, Func<T, Task<TResult>> run)
    {
        using var gate = new SemaphoreSlim(limit);
        return await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await run(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
