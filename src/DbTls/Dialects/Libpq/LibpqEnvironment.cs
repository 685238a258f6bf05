using System.Collections;
using System.Collections.Immutable;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// What libpq reads besides the connection string: PG* environment variables and the home
/// directory that holds <c>~/.postgresql/</c>. Tests pass their own instead of the process's.
/// </summary>
internal sealed record LibpqEnvironment(ImmutableDictionary<string, string> Variables, string? HomeDirectory, string? OsUserName)
{
    public static LibpqEnvironment Empty { get; } = new(ImmutableDictionary<string, string>.Empty, null, null);

    public static LibpqEnvironment FromProcess()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                builder[key] = value;
            }
        }

        var home = builder.TryGetValue("HOME", out var h) && h.Length > 0 ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new LibpqEnvironment(builder.ToImmutable(), string.IsNullOrEmpty(home) ? null : home, Environment.UserName);
    }

    public string? Get(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
