using DbTls.Checks;
using DbTls.Reports;

namespace DbTls.Dialects;

/// <summary>
/// One connection-string syntax and the driver behind it: how to recognise it, how to show it without its
/// secrets, and which check connects the way that driver does. A new dialect is one folder holding its
/// parser, an implementation of this interface and one line in <see cref="DialectRegistry.Default"/>.
/// </summary>
public interface IConnectionDialect
{
    /// <summary>The name in the report's <c>target.dialect</c> field, e.g. <c>libpq</c>.</summary>
    string Name { get; }

    /// <summary>How sure this dialect is that the string is written for it; the registry picks the surest.</summary>
    DialectConfidence Recognise(ConnectionStringShape shape);

    /// <summary>The string with every secret value masked, found by parsing it this dialect's way, never by searching the text for known secrets.</summary>
    string Redact(string connectionString);

    /// <summary>Parses the string (with the environment's overrides and defaults) and runs the check; expected failures are <c>DbTlsException</c>s.</summary>
    Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken);
}

/// <summary>How strongly a dialect claims a connection string.</summary>
public enum DialectConfidence
{
    /// <summary>Not this dialect.</summary>
    None = 0,

    /// <summary>Nobody else claims it, and this dialect's parser can name what is wrong with it.</summary>
    Fallback = 1,

    /// <summary>The first keyword belongs to this dialect.</summary>
    Keyword = 2,

    /// <summary>The first keyword and the separator after its value both fit this dialect.</summary>
    KeywordAndSeparator = 3,

    /// <summary>A URL scheme or prefix only this dialect uses.</summary>
    Scheme = 4,
}
