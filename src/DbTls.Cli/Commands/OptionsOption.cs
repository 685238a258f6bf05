using System.CommandLine;
using DbTls.Diagnostics;
using DbTls.Dialects;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>--option KEY=VALUE</c>, repeatable: driver options given beside the string, as PyMongo's keyword arguments
/// (<c>MongoClient(uri, tlsCAFile=..., tls=True)</c>), which win over the URI. They select the <c>pymongo</c>
/// dialect for a MongoDB URI; other dialects take no options, so there they are a usage error.
/// </summary>
internal static class OptionsOption
{
    public static Option<string[]> Create()
    {
        var option = new Option<string[]>("--option", "-o")
        {
            Description = "A PyMongo keyword argument as KEY=VALUE (repeatable), e.g. --option tlsCAFile=/etc/ssl/ca.pem --option tls=true; it wins over the URI's option of the same name.",
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value.IndexOf('=', StringComparison.Ordinal) <= 0))
            {
                // The value may be a secret (password=...), so it is not echoed.
                result.AddError("--option takes KEY=VALUE.");
            }
        });
        return option;
    }

    /// <summary>The pairs in order, split at the first '='.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(string[]? values) =>
        values is null ? [] : [.. values.Select(v => new KeyValuePair<string, string>(v[..v.IndexOf('=', StringComparison.Ordinal)], v[(v.IndexOf('=', StringComparison.Ordinal) + 1)..]))];

    /// <summary>With options, a MongoDB URI is PyMongo's (keyword arguments); without, the dialect stays as resolved.</summary>
    public static IConnectionDialect Dialect(DialectRegistry dialects, IConnectionDialect resolved, string? named, IReadOnlyList<KeyValuePair<string, string>> options) =>
        named is null ? dialects.WithOptions(resolved, options.Count) : resolved;

    /// <summary>Why the options cannot be used with this dialect, or null when they can (or none were given).</summary>
    public static Finding? Unsupported(IConnectionDialect dialect, IReadOnlyList<KeyValuePair<string, string>> options) =>
        DialectRegistry.RefuseOptions(dialect, options.Count, "--option gives",
            "Put the setting into the connection string, or check a mongodb:// URI (--dialect pymongo).");
}
