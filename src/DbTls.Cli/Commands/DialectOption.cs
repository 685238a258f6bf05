using System.CommandLine;
using DbTls.Dialects;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>--dialect NAME</c>: read the string as the named driver does instead of guessing. Needed where drivers share a
/// syntax but not its meaning (a <c>postgresql://</c> URI is libpq's by default, yet node-postgres reads
/// <c>sslmode=require</c> in it differently).
/// </summary>
internal static class DialectOption
{
    public static Option<string?> Create(DialectRegistry dialects)
    {
        var names = dialects.Dialects.Select(d => d.Name).ToArray();
        var option = new Option<string?>("--dialect", "-d")
        {
            Description = "Read the connection string as this driver does instead of detecting it: " + string.Join(", ", names) + ".",
            HelpName = "NAME",
        };
        option.Validators.Add(result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (dialects.Find(value) is null)
            {
                // Dialect names never hold secrets, but an argument in the wrong place might, so the value is not echoed.
                result.AddError("--dialect takes one of: " + string.Join(", ", names) + ".");
            }
        });
        return option;
    }

    /// <summary>The dialect the user named, or the one the registry detects.</summary>
    public static IConnectionDialect Resolve(DialectRegistry dialects, string? name, string connectionString) =>
        name is null ? dialects.Detect(connectionString) : dialects.Find(name) ?? dialects.Detect(connectionString);
}
