using DbTls.Dialects;
using DbTls.Dialects.PyMongo;

namespace DbTls.Fleet;

/// <summary>
/// One database of an inventory. <see cref="Name"/> is unique in the inventory and is what <c>--resume</c>, the NDJSON
/// lines and the exporter's <c>/probe?target=</c> know it by. The string never holds a secret (<see cref="Inventory"/>
/// refuses one); the password comes from <see cref="PasswordVariable"/> or DBTLS_PASSWORD.
/// </summary>
public sealed record FleetTarget(string Name, string ConnectionString)
{
    /// <summary>The dialect that takes <see cref="Options"/> (keyword arguments beside a MongoDB URI).</summary>
    public const string PyMongoDialectName = PyMongoDialect.DialectName;

    public string? Group { get; init; }

    /// <summary>Read the string as this driver does (<c>--dialect</c>); null detects it.</summary>
    public string? Dialect { get; init; }

    /// <summary>This target's own time limit; null takes the run's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The environment variable that holds this target's password; null uses DBTLS_PASSWORD.</summary>
    public string? PasswordVariable { get; init; }

    /// <summary>
    /// Driver options beside the string, as <c>--option KEY=VALUE</c> gives them (PyMongo keyword arguments, which win
    /// over the URI's); with any, a MongoDB URI is read as PyMongo reads it. Never a secret (<see cref="Inventory"/> refuses one).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>The 1-based line (plain inventories) or position (JSON) the target came from, for messages.</summary>
    public int Line { get; init; }

    /// <summary>The dialect that reads this target's string: the one it names, else the one detected.</summary>
    public IConnectionDialect DialectIn(DialectRegistry dialects)
    {
        ArgumentNullException.ThrowIfNull(dialects);
        if (Dialect is { } name)
        {
            return dialects.Find(name) ?? dialects.Detect(ConnectionString);
        }

        return dialects.WithOptions(dialects.Detect(ConnectionString), Options.Count);
    }
}
