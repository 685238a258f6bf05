using System.Text.Encodings.Web;
using System.Text.Json;

namespace DbTls.Cli.Security;

/// <summary>
/// The last line of defence: every byte the CLI writes passes through here, and any known secret
/// (DBTLS_PASSWORD, PGPASSWORD, passwords found in the connection string or in stray arguments) is
/// masked, also in its JSON-escaped form. The primary defence is that secrets are <c>Secret</c>s and
/// never rendered; this catches what a bug elsewhere (an exception message, a parser echoing its
/// input) would otherwise leak.
/// </summary>
internal sealed class SecretScrubber
{
    /// <summary>
    /// Shorter values are not masked: masking a one- or two-letter password would blank out that
    /// text everywhere in the report and make it unreadable, while such a password is no secret.
    /// </summary>
    public const int MinimumLength = 4;

    private readonly List<string> _secrets = [];

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumLength)
        {
            return;
        }

        AddOne(secret);

        // As it would appear inside a JSON string (quotes, backslashes, non-ASCII escaped).
        var json = JsonSerializer.Serialize(secret, ScrubberJsonContext.Default.String);
        AddOne(json[1..^1]);
        AddOne(JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());
    }

    public void AddRange(IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            Add(secret);
        }
    }

    public string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, ConnectionStringRedactor.Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private void AddOne(string value)
    {
        if (value.Length < MinimumLength || _secrets.Contains(value))
        {
            return;
        }

        // Longest first, so a secret that contains another is masked whole.
        var index = _secrets.FindIndex(s => s.Length < value.Length);
        _secrets.Insert(index < 0 ? _secrets.Count : index, value);
    }
}
