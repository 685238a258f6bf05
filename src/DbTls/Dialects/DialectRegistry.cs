using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.Libpq;
using DbTls.Dialects.Mongo;
using DbTls.Dialects.NodePostgres;
using DbTls.Dialects.Npgsql;
using DbTls.Dialects.Odbc;
using DbTls.Dialects.Pgjdbc;
using DbTls.Dialects.PyMongo;
using DbTls.Dialects.SqlClient;

namespace DbTls.Dialects;

/// <summary>
/// The dialects dbtls knows, and which one a connection string is written for: every dialect says how
/// sure it is, from its own keyword table, and the surest wins (the earlier registration on a tie).
/// </summary>
public sealed class DialectRegistry
{
    private readonly ImmutableArray<IConnectionDialect> _dialects;

    private DialectRegistry(ImmutableArray<IConnectionDialect> dialects) => _dialects = dialects;

    /// <summary>Every supported dialect; adding one is one line here plus its folder.</summary>
    public static DialectRegistry Default { get; } = new(
    [
        new LibpqDialect(),
        new NpgsqlDialect(),
        new SqlClientDialect(),
        new JdbcDialect(),
        new FreeTdsDialect(),
        new MongoDialect(),
        new PgjdbcDialect(),
        new PyMongoDialect(),
        new OdbcDialect(),
        new NodePostgresDialect(),
    ]);

    /// <summary>Every format the default dialects read, for remedies and help.</summary>
    public static string Formats { get; } =
        "a libpq string (host=... dbname=... sslmode=...), a postgresql:// URI, a SqlClient string (Server=...;Encrypt=...), " +
        "a jdbc:sqlserver:// URL, freetds:<server name> (a freetds.conf entry), a mongodb:// or mongodb+srv:// URI, " +
        "a jdbc:postgresql:// URL, an ODBC Driver 18 string (Driver={ODBC Driver 18 for SQL Server};Server=...), " +
        "or an Npgsql string (Host=...;SSL Mode=...)";

    /// <summary>Answers strings no dialect claims.</summary>
    public static IConnectionDialect Unknown { get; } = new UnknownDialect();

    public ImmutableArray<IConnectionDialect> Dialects => _dialects;

    /// <summary>The dialect the string is written for, or <see cref="Unknown"/>.</summary>
    public IConnectionDialect Detect(string connectionString)
    {
        var shape = ConnectionStringShape.Of(connectionString);
        var best = Unknown;
        var bestConfidence = DialectConfidence.None;
        foreach (var dialect in _dialects)
        {
            var confidence = dialect.Recognise(shape);
            if (confidence > bestConfidence)
            {
                best = dialect;
                bestConfidence = confidence;
            }
        }

        return best;
    }

    /// <summary>
    /// The dialect that reads a string detected as <paramref name="detected"/> when <paramref name="optionCount"/> driver
    /// options (<c>--option KEY=VALUE</c>, PyMongo keyword arguments) come beside it: with any, a MongoDB URI is PyMongo's,
    /// since only PyMongo takes keyword arguments; otherwise the detected dialect. The one rule the CLI and fleets share.
    /// </summary>
    public IConnectionDialect WithOptions(IConnectionDialect detected, int optionCount)
    {
        ArgumentNullException.ThrowIfNull(detected);
        return optionCount > 0 && detected.Name == "mongodb" ? Find(PyMongoDialect.DialectName) ?? detected : detected;
    }

    /// <summary>
    /// Why keyword arguments given beside the string cannot be used with <paramref name="dialect"/>, or null when they can
    /// (or none were given): only PyMongo takes them. <paramref name="given"/> names them as the user gave them
    /// ("--option gives", "options give"); <paramref name="remedy"/> says what to do instead in that place.
    /// </summary>
    public static Finding? RefuseOptions(IConnectionDialect dialect, int optionCount, string given, string remedy)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return optionCount == 0 || dialect.Name == PyMongoDialect.DialectName
            ? null
            : FindingCatalog.Create(FindingCodes.ConfigInvalid,
                $"{given} PyMongo keyword arguments; the {dialect.Name} dialect takes its settings only from the connection string", remedy);
    }

    /// <summary>The dialect registered under <paramref name="name"/> (as in <c>target.dialect</c>, case-insensitive), or null.</summary>
    public IConnectionDialect? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var dialect in _dialects)
        {
            if (dialect.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return dialect;
            }
        }

        return null;
    }

    /// <summary>A copy with the dialect of the same name replaced (tests reach failure paths this way).</summary>
    public DialectRegistry With(IConnectionDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var index = _dialects.IndexOf(_dialects.FirstOrDefault(d => d.Name == dialect.Name)!);
        return new(index < 0 ? _dialects.Add(dialect) : _dialects.SetItem(index, dialect));
    }
}
