using System.Globalization;
using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Wire.Postgres;

/// <summary>The fields of an ErrorResponse or NoticeResponse that a person needs.</summary>
internal sealed record PostgresServerError
{
    /// <summary>Localised severity ('S'), e.g. <c>FATAL</c>.</summary>
    public string? Severity { get; init; }

    /// <summary>Non-localised severity ('V', PostgreSQL 9.6+).</summary>
    public string? SeverityNonLocalized { get; init; }

    /// <summary>SQLSTATE ('C').</summary>
    public string? SqlState { get; init; }

    public string Message { get; init; } = "";

    public string? Detail { get; init; }

    public string? Hint { get; init; }

    /// <summary>Parses the body of an 'E' or 'N' message: (field byte, NUL-terminated string)* then a zero byte.</summary>
    public static PostgresServerError Parse(BackendMessage message)
    {
        var reader = message.Reader();
        string? severity = null, nonLocalized = null, code = null, text = null, detail = null, hint = null;
        while (true)
        {
            var field = reader.ReadByte();
            if (field == 0)
            {
                break;
            }

            var value = reader.ReadCString();
            switch ((char)field)
            {
                case 'S':
                    severity = value;
                    break;
                case 'V':
                    nonLocalized = value;
                    break;
                case 'C':
                    code = value;
                    break;
                case 'M':
                    text = value;
                    break;
                case 'D':
                    detail = value;
                    break;
                case 'H':
                    hint = value;
                    break;
                default:
                    break; // position, where, file, line, routine: not needed for a verdict
            }
        }

        reader.ExpectEnd();
        return new PostgresServerError
        {
            Severity = severity,
            SeverityNonLocalized = nonLocalized,
            SqlState = code,
            Message = text ?? "(the server sent no message text)",
            Detail = detail,
            Hint = hint,
        };
    }

    /// <summary>
    /// One line for a finding: "FATAL 28P01: password authentication failed for user "x"". Server text is
    /// not trusted: control characters are replaced and the length is capped so that it cannot forge
    /// terminal output or flood a report.
    /// </summary>
    public string Describe()
    {
        var builder = new StringBuilder();
        var severity = SeverityNonLocalized ?? Severity;
        if (severity is not null)
        {
            builder.Append(Clean(severity, 20));
        }

        if (SqlState is not null)
        {
            builder.Append(builder.Length > 0 ? " " : "").Append(Clean(SqlState, 5));
        }

        if (builder.Length > 0)
        {
            builder.Append(": ");
        }

        builder.Append(Clean(Message, 1000));
        if (Detail is not null)
        {
            builder.Append(" (detail: ").Append(Clean(Detail, 500)).Append(')');
        }

        if (Hint is not null)
        {
            builder.Append(" (hint: ").Append(Clean(Hint, 500)).Append(')');
        }

        return builder.ToString();
    }

    /// <summary>The finding code an error at login maps to.</summary>
    public string FindingCode => SqlState switch
    {
        // invalid_password, invalid_authorization_specification (includes "no pg_hba.conf entry" and
        // "role is not permitted to log in").
        "28P01" or "28000" => FindingCodes.AuthFailed,
        _ => FindingCodes.ServerError,
    };

    internal static string Clean(string text, int max)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max));
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= max)
            {
                builder.Append('…');
                break;
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                builder.Append(' ');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString().Trim();
    }
}
