using System.Text.RegularExpressions;
using DbTls.Diagnostics;

namespace DbTls.Fuzz.Engine;

/// <summary>
/// Decides whether what a parser did with an input is allowed. Allowed: it accepted the bytes, or it
/// refused them with a <see cref="DbTlsException"/> whose code is a stable finding code (not
/// internal.error) and whose text describes the protocol fault, not a .NET exception type.
/// Everything else is a crash.
/// </summary>
internal static partial class Verdict
{
    /// <summary>Null when the outcome is allowed; otherwise why it is a crash.</summary>
    public static string? CrashReason(Exception? exception)
    {
        switch (exception)
        {
            case null:
                return null;
            case DbTlsException { Code: FindingCodes.InternalError } typed:
                return $"internal.error: {typed.Message}";
            case DbTlsException typed when NamesExceptionType(typed.Message):
                return $"{typed.Code} message names a .NET exception type: {typed.Message}";
            case DbTlsException typed when typed.Remedy is not null && NamesExceptionType(typed.Remedy):
                return $"{typed.Code} remedy names a .NET exception type: {typed.Remedy}";
            case DbTlsException:
                return null;
            default:
                return $"{exception.GetType().FullName}: {exception.Message}";
        }
    }

    /// <summary>
    /// A short signature of an allowed outcome (the finding code and the message without numbers),
    /// used as cheap feedback: an input that produces a new signature reached a new refusal and is kept.
    /// </summary>
    public static string Signature(Exception? exception) => exception switch
    {
        null => "accepted",
        DbTlsException typed => typed.Code + ":" + Numbers().Replace(typed.Message.Length > 80 ? typed.Message[..80] : typed.Message, "#"),
        _ => exception.GetType().Name,
    };

    /// <summary>The crash's identity for de-duplication: exception type and the first frame in DbTls code.</summary>
    public static string CrashKey(Exception? exception, string reason)
    {
        if (exception is DbTlsException typed)
        {
            // The finding code and the exception types its text names: one key per kind of leak, not per byte value.
            var named = ExceptionTypeName().Matches(typed.Message + " " + typed.Remedy).Select(m => m.Value).Distinct(StringComparer.Ordinal);
            return typed.Code == FindingCodes.InternalError
                ? Numbers().Replace(reason.Length > 100 ? reason[..100] : reason, "#")
                : typed.Code + " names " + string.Join(",", named);
        }

        if (exception is null)
        {
            return Numbers().Replace(reason.Length > 100 ? reason[..100] : reason, "#");
        }

        var frame = exception.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("DbTls.", StringComparison.Ordinal)) ?? "";
        var at = frame.IndexOf(" in ", StringComparison.Ordinal);
        return exception.GetType().Name + " " + (at > 0 ? frame[..at] : frame);
    }

    private static bool NamesExceptionType(string text) => ExceptionTypeName().IsMatch(text);

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*Exception\b")]
    private static partial Regex ExceptionTypeName();

    [GeneratedRegex(@"(0x)?[0-9A-Fa-f]*[0-9][0-9A-Fa-f]*")]
    private static partial Regex Numbers();
}
