using System.Text;

namespace DbTls.Dialects.FreeTds;

/// <summary>One <c>option = value</c> line (or section header) of freetds.conf after FreeTDS's normalisation.</summary>
/// <param name="LineNumber">The physical line it starts on (1-based).</param>
/// <param name="Option">Lower-cased, runs of white space collapsed to one space; a header keeps its <c>[</c>.</param>
/// <param name="Value">Up to the first <c>;</c> or <c>#</c>, trimmed, runs of white space collapsed.</param>
internal sealed record FreeTdsConfigLine(int LineNumber, string Option, string Value)
{
    public bool IsSectionHeader => Option.StartsWith('[');

    /// <summary>The section name of a header: the text after <c>[</c> up to the first <c>]</c>.</summary>
    public string SectionName
    {
        get
        {
            var close = Option.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? Option[1..] : Option[1..close];
        }
    }
}

/// <summary>
/// freetds.conf read exactly as FreeTDS's tds_read_conf_section reads it: lines of at most 255 bytes
/// (longer lines are read in pieces, as fgets with a 256-byte buffer does), comment lines start with
/// <c>;</c> or <c>#</c> after white space, the option runs up to <c>=</c>, the value up to <c>;</c> or <c>#</c>,
/// section names compare case-insensitively and a section may appear more than once.
/// </summary>
internal sealed class FreeTdsConfigFile
{
    private const int FgetsBufferSize = 256;

    private FreeTdsConfigFile(string path, IReadOnlyList<FreeTdsConfigLine> lines)
    {
        Path = path;
        Lines = lines;
    }

    public string Path { get; }

    public IReadOnlyList<FreeTdsConfigLine> Lines { get; }

    /// <summary>The file, or null when FreeTDS could not open it either (missing, unreadable, a directory).</summary>
    public static FreeTdsConfigFile? TryRead(string path)
    {
        byte[] bytes;
        try
        {
            if (path.Length == 0 || Directory.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return new FreeTdsConfigFile(path, Parse(bytes));
    }

    internal static FreeTdsConfigFile FromText(string path, string text) => new(path, Parse(Encoding.UTF8.GetBytes(text)));

    public bool HasSection(string name) => Lines.Any(l => l.IsSectionHeader && SameSection(l.SectionName, name));

    /// <summary>The lines of every section called <paramref name="name"/>, in file order.</summary>
    public IEnumerable<FreeTdsConfigLine> Section(string name)
    {
        var inSection = false;
        foreach (var line in Lines)
        {
            if (line.IsSectionHeader)
            {
                inSection = SameSection(line.SectionName, name);
            }
            else if (inSection)
            {
                yield return line;
            }
        }
    }

    // strcasecmp: ASCII letters only.
    private static bool SameSection(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static List<FreeTdsConfigLine> Parse(byte[] bytes)
    {
        var lines = new List<FreeTdsConfigLine>();
        var physicalLine = 1;
        var position = 0;
        while (position < bytes.Length)
        {
            // fgets(line, 256, in): up to 255 bytes, stopping after a newline.
            var start = position;
            var end = start;
            while (end < bytes.Length && end - start < FgetsBufferSize - 1)
            {
                if (bytes[end++] == (byte)'\n')
                {
                    break;
                }
            }

            position = end;
            var chunk = bytes.AsSpan(start, end - start);
            var nul = chunk.IndexOf((byte)0);
            var text = Encoding.UTF8.GetString(nul >= 0 ? chunk[..nul] : chunk);
            var parsed = ParseLine(physicalLine, text);
            if (parsed is not null)
            {
                lines.Add(parsed);
            }

            if (chunk.Length > 0 && chunk[^1] == (byte)'\n')
            {
                physicalLine++;
            }
        }

        return lines;
    }

    private static FreeTdsConfigLine? ParseLine(int lineNumber, string line)
    {
        var i = 0;
        while (i < line.Length && IsSpace(line[i]))
        {
            i++;
        }

        if (i < line.Length && line[i] is ';' or '#')
        {
            return null;
        }

        var option = new StringBuilder();
        var previous = '\0';
        for (; i < line.Length && line[i] != '='; i++)
        {
            var c = line[i];
            if (!IsSpace(c))
            {
                if (IsSpace(previous))
                {
                    option.Append(' ');
                }

                option.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
            }

            previous = c;
        }

        if (option.Length == 0)
        {
            return null;
        }

        if (i < line.Length)
        {
            i++; // the '='
        }

        while (i < line.Length && IsSpace(line[i]))
        {
            i++;
        }

        var value = new StringBuilder();
        previous = '\0';
        for (; i < line.Length && line[i] is not (';' or '#'); i++)
        {
            var c = line[i];
            if (!IsSpace(c))
            {
                if (IsSpace(previous))
                {
                    value.Append(' ');
                }

                value.Append(c);
            }

            previous = c;
        }

        return new FreeTdsConfigLine(lineNumber, option.ToString(), value.ToString());
    }

    // isspace in the C locale.
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
