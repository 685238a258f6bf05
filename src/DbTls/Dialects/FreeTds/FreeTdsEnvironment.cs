using System.Collections;
using System.Collections.Immutable;

namespace DbTls.Dialects.FreeTds;

/// <summary>
/// What FreeTDS reads besides freetds.conf: environment variables (FREETDSCONF, FREETDS, TDSVER, TDSPORT,
/// TDSHOST, and dbtls's DBTLS_PASSWORD), the home directory, the compiled-in system file and the TLS
/// library it was built with. Tests pass their own instead of the process's.
/// </summary>
/// <param name="Variables">Environment variables.</param>
/// <param name="HomeDirectory">
/// The user's home directory. FreeTDS takes it from the password database (getpwuid), not from $HOME.
/// </param>
/// <param name="SystemConfigFiles">
/// The system-wide freetds.conf. A FreeTDS build has exactly one, fixed at compile time (<c>tsql -C</c>
/// shows its directory); dbtls tries these in order and reports which one it used.
/// </param>
/// <param name="TlsBackend">The TLS library of the FreeTDS whose behaviour is reproduced.</param>
internal sealed record FreeTdsEnvironment(
    ImmutableDictionary<string, string> Variables,
    string? HomeDirectory,
    ImmutableArray<string> SystemConfigFiles,
    FreeTdsTlsBackend TlsBackend = FreeTdsTlsBackend.OpenSsl)
{
    /// <summary>dbtls's own variable for the password, since freetds.conf holds none.</summary>
    public const string PasswordVariable = "DBTLS_PASSWORD";

    /// <summary>Debian/Ubuntu packages, Fedora/RHEL packages, source builds with the default prefix.</summary>
    public static ImmutableArray<string> DefaultSystemConfigFiles { get; } =
        ["/etc/freetds/freetds.conf", "/etc/freetds.conf", "/usr/local/etc/freetds.conf"];

    public static FreeTdsEnvironment Empty { get; } = new(ImmutableDictionary<string, string>.Empty, null, []);

    public static FreeTdsEnvironment FromProcess()
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                builder[key] = value;
            }
        }

        var home = PasswdHome(Environment.UserName);
        if (home is null)
        {
            var fallback = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            home = string.IsNullOrEmpty(fallback) ? null : fallback;
        }

        return new FreeTdsEnvironment(builder.ToImmutable(), home, DefaultSystemConfigFiles);
    }

    /// <summary>A variable's value; unlike libpq, FreeTDS honours a variable that is set but empty (getenv returns "").</summary>
    public string? Get(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    /// <summary>The home directory of a user from /etc/passwd, as getpwuid would give it.</summary>
    private static string? PasswdHome(string userName)
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length >= 7 && fields[0] == userName && fields[5].Length > 0)
                {
                    return fields[5];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
