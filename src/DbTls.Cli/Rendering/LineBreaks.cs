using System.Text;

namespace DbTls.Cli.Rendering;

/// <summary>
/// Line breaks for long values without spaces (URIs, <c>key=value;</c> strings), which the
/// terminal would otherwise cut in the middle of a word: break after <c>;</c> and before <c>?</c>
/// and <c>&amp;</c>, so every line starts with a whole setting.
/// </summary>
internal static class LineBreaks
{
    public static string AtSeparators(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= width || text.Any(char.IsWhiteSpace))
        {
            return text;
        }

        var segments = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if ((text[i] is '?' or '&') && i > start)
            {
                segments.Add(text[start..i]);
                start = i;
            }
            else if (text[i] == ';')
            {
                segments.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            segments.Add(text[start..]);
        }

        var result = new StringBuilder(text.Length + 8);
        var lineLength = 0;
        foreach (var segment in segments)
        {
            if (lineLength > 0 && lineLength + segment.Length > width)
            {
                result.Append('\n');
                lineLength = 0;
            }

            result.Append(segment);
            lineLength += segment.Length;
        }

        return result.ToString();
    }
}
