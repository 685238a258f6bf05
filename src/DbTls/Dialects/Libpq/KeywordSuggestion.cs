namespace DbTls.Dialects.Libpq;

/// <summary>The libpq keyword a misspelt one was most likely meant to be (at most two edits away).</summary>
internal static class KeywordSuggestion
{
    public static string? For(string name) => KeySuggestion.For(name, LibpqKeywords.InOrder.Select(k => k.Name));
}
