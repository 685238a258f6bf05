using System.Text;

namespace DbTls.Checks;

/// <summary>
/// How a bug is told: what happened without the exception's message, because exception text is not built
/// to be free of secrets (a parser or a library may echo its input), and where, as types and frames only.
/// </summary>
public static class UnexpectedErrors
{
    /// <summary>The finding's message for a check that ended in a bug.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return "The check ended in an unexpected error, a bug in dbtls; run with --verbose to see where it happened and report it.";
    }

    /// <summary>The exception types and stack frames of the exception and its inner exceptions, without any message.</summary>
    public static string Where(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var builder = new StringBuilder();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            builder.Append(e == exception ? "" : " ---> ").Append(e.GetType().FullName).AppendLine(" (message withheld: it may contain secrets)");
            if (e.StackTrace is { } frames)
            {
                builder.AppendLine(frames);
            }
        }

        return builder.ToString();
    }
}
