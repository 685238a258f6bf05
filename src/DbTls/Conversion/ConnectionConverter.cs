using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects;

namespace DbTls.Conversion;

/// <summary>The result of <c>dbtls convert</c>.</summary>
/// <param name="Rendered">The string (or freetds.conf section) in the target dialect; null when the conversion was refused.</param>
/// <param name="Differences">The original's policy against the target's reading of <paramref name="Rendered"/>, field by field.</param>
public sealed record ConversionOutcome(
    string From,
    string To,
    string RedactedSource,
    RenderedConnection? Rendered,
    ImmutableArray<ConversionNote> Differences,
    Finding? Failure)
{
    /// <summary>Whether any setting of the target protects less than the original (the conversion is lossy).</summary>
    public bool IsWeaker =>
        Rendered is not null && Rendered.Notes.Concat(Differences).Any(n => n.Effect == ConversionEffect.Weaker);

    /// <summary>2 invalid input or impossible pair; 1 the target protects less than the original; else 0.</summary>
    public int ExitCode => Failure is not null ? ExitCodes.InvalidInput : IsWeaker ? ExitCodes.Rejected : ExitCodes.Ok;

    /// <summary>The conversion was asked to be strict (<c>convert --strict</c>).</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Strict and lossy: the converted string must not be used, so reports leave it out and say why
    /// (<see cref="FindingCodes.ConvertLossy"/>); <see cref="Rendered"/> still carries the notes that name the losses.
    /// </summary>
    public bool Withheld => Strict && IsWeaker;
}

/// <summary>How <see cref="ConnectionConverter.Convert(IConnectionDialect, string, IConnectionDialect, CheckEnvironment, ConvertOptions)"/> writes its output.</summary>
public sealed record ConvertOptions
{
    public static ConvertOptions Default { get; } = new();

    /// <summary>Refuse a lossy conversion: the output is withheld when the target protects less in any respect.</summary>
    public bool Strict { get; init; }

    /// <summary>Write the password the driver would send into the output (quoted for the target's syntax); otherwise a placeholder.</summary>
    public bool IncludePassword { get; init; }
}

/// <summary>
/// The same protection in another driver's words: the source dialect describes the string, the target renders the
/// description, and the target reads its own output back so that the two policies can be compared field by field.
/// Offline: no connection, no DNS. Secrets are never copied.
/// </summary>
public static class ConnectionConverter
{
    public static ConversionOutcome Convert(IConnectionDialect from, string connectionString, IConnectionDialect to, CheckEnvironment environment) =>
        Convert(from, connectionString, to, environment, ConvertOptions.Default);

    public static ConversionOutcome Convert(IConnectionDialect from, string connectionString, IConnectionDialect to, CheckEnvironment environment, ConvertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(environment);
        var redacted = from.Redact(connectionString);
        ConversionOutcome Refuse(string message, string? remedy = null) =>
            new(from.Name, to.Name, redacted, null, [], FindingCatalog.Create(FindingCodes.ConfigInvalid, message, remedy));

        if (from is not IDescribableDialect source)
        {
            return Refuse(from == DialectRegistry.Unknown ? "the connection string is not in a format dbtls knows" : $"dbtls cannot convert {from.Name} strings yet",
                "Write the string in one of these formats: " + DialectRegistry.Formats + ".");
        }

        if (to is not IDescribableDialect target)
        {
            return Refuse($"dbtls cannot write {to.Name} strings yet");
        }

        if (source.Protocol != target.Protocol)
        {
            return Refuse($"{from.Name} and {to.Name} speak different protocols ({source.Protocol} and {target.Protocol}); a connection string converts only between drivers of the same database");
        }

        ConnectionDescription description;
        try
        {
            description = source.Describe(connectionString, environment);
        }
        catch (DbTlsException e)
        {
            return new(from.Name, to.Name, redacted, null, [], DialectRemedies.For(from.Name, e.ToFinding()));
        }

        // Secrets are carried only when asked for; the description keeps the password for exactly this choice.
        description = options.IncludePassword ? description : description with { Password = null };
        var rendered = target.Render(description);
        ImmutableArray<ConversionNote> differences;
        try
        {
            var back = ReadBack(target, rendered, environment);
            differences = [.. PolicyComparison.Compare(description, back), .. PasswordReadBack(description, back, to.Name)];
        }
        catch (DbTlsException e)
        {
            // The target's own parser refused what was written for it: a bug in a renderer, never passed on as a success.
            differences = [new ConversionNote("read back", ConversionEffect.Weaker, $"{to.Name} cannot read the converted string back: {e.Message}")];
        }

        return new(from.Name, to.Name, description.RedactedConnectionString, rendered, differences, null) { Strict = options.Strict };
    }

    /// <summary>An included password must read back as itself: a quoting mistake would make the driver send another one.</summary>
    private static IEnumerable<ConversionNote> PasswordReadBack(ConnectionDescription original, ConnectionDescription back, string target)
    {
        if (original.Password is { } password && back.Password != password && target != "freetds")
        {
            yield return new ConversionNote("password", ConversionEffect.Weaker, $"{target} does not read the included password back as it was given");
        }
    }

    /// <summary>The target's reading of what was written; a freetds.conf section is read from a private temporary file.</summary>
    private static ConnectionDescription ReadBack(IDescribableDialect target, RenderedConnection rendered, CheckEnvironment environment)
    {
        // The output stands alone: the keyword arguments given beside the original (PyMongo's --option) are in it already.
        environment = environment with { Options = [] };
        if (rendered.Target is null)
        {
            return target.Describe(rendered.Text, environment);
        }

        var directory = Directory.CreateTempSubdirectory("dbtls-convert-");
        try
        {
            var file = Path.Combine(directory.FullName, "freetds.conf");
            File.WriteAllText(file, rendered.Text);
            var variables = environment.Variables.Where(v => v.Key != "FREETDSCONF" && v.Key != "FREETDS")
                .Append(new KeyValuePair<string, string>("FREETDSCONF", file))
                .ToImmutableDictionary(StringComparer.Ordinal);
            return target.Describe(rendered.Target, environment with { Variables = variables });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
