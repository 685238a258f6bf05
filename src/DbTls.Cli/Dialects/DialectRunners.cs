using System.Collections.Immutable;

namespace DbTls.Cli.Dialects;

/// <summary>
/// Which runner handles which dialect. Adding a dialect means adding its runner here; dialects
/// that are recognised but not implemented answer with config.invalid so users learn why.
/// </summary>
internal sealed class DialectRunners
{
    private readonly ImmutableDictionary<ConnectionStringDialect, IDialectRunner> _runners;

    private DialectRunners(ImmutableDictionary<ConnectionStringDialect, IDialectRunner> runners) => _runners = runners;

    public static DialectRunners Default { get; } = new(new Dictionary<ConnectionStringDialect, IDialectRunner>
    {
        [ConnectionStringDialect.Libpq] = new LibpqRunner(),
        [ConnectionStringDialect.Npgsql] = new UnsupportedDialectRunner(
            "Npgsql-style connection strings (Host=...;Database=...) are not supported",
            "Write the connection in libpq form (host=... port=... dbname=... sslmode=...) or as a postgresql:// URI."),
        [ConnectionStringDialect.SqlClient] = new TdsRunner(ConnectionStringDialect.SqlClient),
        [ConnectionStringDialect.Jdbc] = new TdsRunner(ConnectionStringDialect.Jdbc),
        [ConnectionStringDialect.FreeTds] = new TdsRunner(ConnectionStringDialect.FreeTds),
        [ConnectionStringDialect.MongoDb] = new MongoRunner(),
    }.ToImmutableDictionary());

    private static IDialectRunner Unknown { get; } = new UnsupportedDialectRunner(
        "The connection string is in no format dbtls recognises",
        "Give a libpq string (host=... dbname=... sslmode=...), a postgresql:// URI, a SqlClient string (Server=...;Encrypt=...), a jdbc:sqlserver:// URL or freetds:<server name>.");

    public IDialectRunner Get(ConnectionStringDialect dialect) => _runners.TryGetValue(dialect, out var runner) ? runner : Unknown;

    /// <summary>A copy with one dialect's runner replaced.</summary>
    public DialectRunners With(ConnectionStringDialect dialect, IDialectRunner runner) => new(_runners.SetItem(dialect, runner));
}
