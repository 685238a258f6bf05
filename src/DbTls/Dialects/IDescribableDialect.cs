namespace DbTls.Dialects;

/// <summary>
/// A dialect that can read a connection string without connecting and say what it amounts to (for
/// <c>dbtls explain</c>), and write a <see cref="ConnectionDescription"/> back in its own words (for
/// <c>dbtls convert</c>). A separate interface rather than new members on <see cref="IConnectionDialect"/>,
/// so dialects that do not implement it yet still compile.
/// </summary>
public interface IDescribableDialect
{
    /// <summary>The dialect's name, as <see cref="IConnectionDialect.Name"/>.</summary>
    string Name { get; }

    /// <summary>The wire protocol: only dialects of the same protocol convert into each other.</summary>
    ConnectionProtocol Protocol { get; }

    /// <summary>
    /// Parses the string as <see cref="IConnectionDialect.CheckAsync"/> would (environment, default files and
    /// service files included) but opens no connection and resolves no name. Invalid input throws a
    /// <c>DbTlsException</c>.
    /// </summary>
    ConnectionDescription Describe(string connectionString, CheckEnvironment environment);

    /// <summary>
    /// The description's endpoint and TLS policy written in this dialect. Secrets are never written (a
    /// placeholder stands for the password); what this driver cannot express is named in the notes.
    /// </summary>
    RenderedConnection Render(ConnectionDescription description);
}

/// <summary>The wire protocols dbtls speaks.</summary>
public enum ConnectionProtocol
{
    PostgreSql,
    Tds,
    MongoDb,
}
