using System.CommandLine;
using DbTls.Cli.Rendering;
using DbTls.Dialects;

namespace DbTls.Cli.Commands;

/// <summary>
/// What <c>explain</c> and <c>convert</c> both take: the connection string, <c>--format</c>, <c>--dialect</c> and
/// <c>--option</c>, and the one way they come to a dialect (the named one, else detection; PyMongo's when driver options
/// come with a MongoDB URI).
/// </summary>
internal sealed class OfflineArguments
{
    private readonly Argument<string> _connectionString = new("connection-string")
    {
        Description = "The connection string, quoted as one argument: " + DialectRegistry.Formats + ".",
    };

    private readonly Option<string> _format = CliCommands.CreateFormatOption("json for programs (docs/explain.md)");
    private readonly Option<string?> _dialect;
    private readonly Option<string[]> _options = OptionsOption.Create();

    public OfflineArguments(CliHost host) => _dialect = DialectOption.Create(host.Dialects);

    /// <summary>Adds the argument and the three options to <paramref name="command"/>, in the order help shows them.</summary>
    public void AddTo(Command command)
    {
        command.Add(_connectionString);
        command.Add(_format);
        command.Add(_dialect);
        command.Add(_options);
    }

    public OfflineInput Read(ParseResult parseResult, CliHost host)
    {
        var text = parseResult.GetRequiredValue(_connectionString);
        var named = parseResult.GetValue(_dialect);
        var options = OptionsOption.Pairs(parseResult.GetValue(_options));
        var dialect = OptionsOption.Dialect(host.Dialects, DialectOption.Resolve(host.Dialects, named, text), named, options);
        return new OfflineInput(text, dialect, options, OutputFormats.Parse(parseResult.GetValue(_format)), OptionsOption.Unsupported(dialect, options));
    }
}

/// <param name="Unsupported">Driver options given to a dialect that takes none: the input error to report instead.</param>
internal sealed record OfflineInput(string Text, IConnectionDialect Dialect, IReadOnlyList<KeyValuePair<string, string>> Options, OutputFormat Format, Diagnostics.Finding? Unsupported);
