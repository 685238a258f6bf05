using System.Collections;
using System.Collections.Immutable;
using DbTls.Dialects.Mongo;
using DbTls.Policy;

namespace DbTls.Dialects;

/// <summary>
/// What a check reads besides the connection string: environment variables (PG*, FREETDSCONF, TDSVER ...),
/// the home directory, the operating-system user, the settings given beside the string (which win over
/// it), and the DNS resolver for mongodb+srv:// strings. Tests build one; <see cref="FromProcess"/> reads the real one.
/// </summary>
public sealed record CheckEnvironment(IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>The home directory (~/.pgpass, ~/.freetds.conf); null reads HOME from <see cref="Variables"/>.</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>The operating-system user name, libpq's default user; null uses the process's.</summary>
    public string? OsUserName { get; init; }

    /// <summary>A user that replaces the connection string's (the CLI's <c>--user</c>).</summary>
    public string? User { get; init; }

    /// <summary>A password that replaces the connection string's (the CLI's <c>DBTLS_PASSWORD</c>).</summary>
    public Secret? Password { get; init; }

    /// <summary>Where a <see cref="User"/> override is said to come from in the report's sources.</summary>
    public string UserSource { get; init; } = "--user";

    /// <summary>Where a <see cref="Password"/> override is said to come from in the report's sources.</summary>
    public string PasswordSource { get; init; } = "DBTLS_PASSWORD";

    /// <summary>Driver options given beside the string as key/value pairs, in order (PyMongo keyword arguments: the CLI's <c>--option</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>Creates the resolver for mongodb+srv:// lookups, only when one is needed; null makes such a check say that SRV lookups are unavailable.</summary>
    public Func<IMongoDnsResolver?> MongoDns { get; init; } = () => new DnsClientMongoResolver(null);

    /// <summary>Told of an exception that ended a check unexpectedly (a bug), e.g. to print where it happened; the report only says that it happened.</summary>
    public Action<Exception>? UnexpectedError { get; init; }

    /// <summary>The variables as an immutable map, as the dialects' environment types take them.</summary>
    internal ImmutableDictionary<string, string> VariableMap =>
        Variables as ImmutableDictionary<string, string> ?? Variables.ToImmutableDictionary(StringComparer.Ordinal);

    internal string? Home => HomeDirectory ?? (Variables.TryGetValue("HOME", out var home) && home.Length > 0 ? home : null);

    /// <summary>The current process's environment variables and user.</summary>
    public static CheckEnvironment FromProcess()
    {
        var variables = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }

        return new CheckEnvironment(variables.ToImmutable()) { OsUserName = Environment.UserName };
    }
}
