using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects;

/// <summary>
/// What a connection string amounts to, read offline: the endpoint, the dialect-free <see cref="TlsPolicy"/>,
/// where settings came from and what the parser already noticed. The one model <c>explain</c> and
/// <c>convert</c> read. Its public members never hold a secret, only whether one was given; the password itself is kept
/// internally for <c>convert --include-password</c> and dropped by the converter unless that was asked for.
/// </summary>
public sealed record ConnectionDescription
{
    public required string Dialect { get; init; }

    public required ConnectionProtocol Protocol { get; init; }

    /// <summary>The string with every secret masked.</summary>
    public required string RedactedConnectionString { get; init; }

    /// <summary>The host(s) as the driver will use them for the connection and the certificate check; empty when none was given (libpq hostaddr only).</summary>
    public required ImmutableArray<string> Hosts { get; init; }

    public required int Port { get; init; }

    /// <summary>SQL Server named instance, kept for rendering.</summary>
    public string? Instance { get; init; }

    public string? User { get; init; }

    public string? Database { get; init; }

    /// <summary>Whether a password was given (in the string, a password file or the environment); its value is never kept.</summary>
    public bool HasPassword { get; init; }

    /// <summary>
    /// The password the driver would send, for renderers to write only when <c>convert --include-password</c> asked for
    /// it (the converter clears it otherwise). Never rendered by <c>explain</c> and never serialised.
    /// </summary>
    internal Secret? Password { get; init; }

    /// <summary>Keywords written more than once (lower-cased): only one of the values takes effect.</summary>
    internal ImmutableArray<string> RepeatedKeywords { get; init; } = [];

    public required TlsPolicy Tls { get; init; }

    /// <summary>For TDS: the PRELOGIN ENCRYPTION value the driver sends.</summary>
    internal TdsPreloginEncryption? PreloginEncryption { get; init; }

    /// <summary>For TDS: what the driver does with each server answer.</summary>
    internal TdsServerAnswerTable? ServerAnswers { get; init; }

    /// <summary>For TDS: whether login-only TLS accepts any certificate (SqlClient, JDBC) or is validated like full TLS (FreeTDS).</summary>
    public bool LoginOnlySkipsValidation { get; init; }

    /// <summary>The driver's own words for the settings in effect, e.g. <c>sslmode=verify-full</c>.</summary>
    public required string PolicySummary { get; init; }

    /// <summary>The keywords written in the string (lower-cased, as the driver normalises them), without values.</summary>
    public ImmutableArray<string> WrittenKeywords { get; init; } = [];

    /// <summary>Settings the driver takes in a form the policy does not carry, keyed by the dialect's keyword (never secrets).</summary>
    public ImmutableDictionary<string, string> Extra { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Where settings came from beyond the string: defaults, files, environment variables, service files.</summary>
    public ImmutableArray<string> Sources { get; init; } = [];

    /// <summary>What the parser noticed (weak modes, ignored options).</summary>
    public ImmutableArray<Finding> Findings { get; init; } = [];

    /// <summary>The keywords (compared lower-cased, as the drivers do) that occur more than once, in first-seen order.</summary>
    internal static ImmutableArray<string> Repeated(IEnumerable<string> keywords) =>
        [.. keywords.Select(k => k.ToLowerInvariant()).GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
}

/// <summary>A connection written in a dialect by <see cref="IDescribableDialect.Render"/>.</summary>
/// <param name="Text">What to give the driver: the connection string, or for FreeTDS the freetds.conf section.</param>
/// <param name="Target">For FreeTDS the <c>freetds:NAME</c> target that selects the section; otherwise null.</param>
/// <param name="Notes">Every setting the dialect could not express exactly, with the nearest choice made.</param>
public sealed record RenderedConnection(string Text, string? Target, ImmutableArray<ConversionNote> Notes);

/// <summary>How a rendered setting compares with the original's protection.</summary>
public enum ConversionEffect
{
    /// <summary>Same protection, other words or another driver's rule.</summary>
    Different,

    /// <summary>The target protects more (it may refuse a server the original accepted).</summary>
    Stronger,

    /// <summary>The target protects less: the conversion is lossy.</summary>
    Weaker,

    /// <summary>The user has to do something (convert a file, fill a placeholder) for the same protection.</summary>
    ManualStep,
}

/// <summary>A setting that could not be written exactly, and why the choice made is the nearest one.</summary>
public sealed record ConversionNote(string Setting, ConversionEffect Effect, string Message);
