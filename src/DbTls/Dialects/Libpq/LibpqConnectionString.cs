using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Libpq;

/// <summary>Parses libpq conninfo strings and URIs into a <see cref="PostgresConnectionSpec"/>.</summary>
internal static class LibpqConnectionString
{
    /// <summary>
    /// Reads the connection string the way libpq's PQconnectdb does: keyword/value or URI syntax,
    /// then a service file, PG* environment variables and compiled-in defaults for what is left
    /// out, then libpq's checks in libpq's order, then the ~/.postgresql files and ~/.pgpass.
    /// </summary>
    /// <exception cref="DbTlsException">config.invalid (or cert.root-file-missing) with libpq-like wording; never contains a secret.</exception>
    public static PostgresConnectionSpec Parse(string connectionString, LibpqEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(environment);

        var parsed = ConninfoUriParser.PrefixLength(connectionString) > 0
            ? ConninfoUriParser.Parse(connectionString)
            : ConninfoKeyValueParser.Parse(connectionString);

        var options = new ConninfoOptions();
        foreach (var setting in parsed.Settings)
        {
            options.StoreFromConnectionString(setting.Keyword, setting.Value);
        }

        var sources = new List<string>();
        ServiceFile.Apply(options, environment, sources);
        var defaults = EnvironmentDefaults.Apply(options, environment, sources);

        ConnectionTargetResolver.CheckLists(options);
        var user = options.GetNonEmpty(LibpqKeywords.User) ?? environment.OsUserName
            ?? throw LibpqErrors.Invalid("no user name given and the local user name is unknown", "Give user=<name> or set PGUSER.");
        var database = options.GetNonEmpty(LibpqKeywords.DbName) ?? user;

        var modes = ModeValidation.Validate(options);
        var target = ConnectionTargetResolver.Resolve(options);
        var connectTimeout = ConnectTimeout(options.Get(LibpqKeywords.ConnectTimeout));
        CheckImpossibleCombinations(modes);

        var files = modes.SslMode == "disable" ? null : SslFiles.Resolve(options, environment.HomeDirectory, modes.SslMode, sources);
        if (modes.SslMode == "verify-full" && target.Host is null)
        {
            // libpq checks this after the handshake (pq_verify_peer_name_matches_certificate), so after the root file.
            throw LibpqErrors.Invalid(
                "host name must be specified for a verified SSL connection",
                "sslmode=verify-full checks the certificate against host: give host=<name> as well as hostaddr.");
        }
        var (policy, tlsFindings) = SslModeRules.Build(modes, files);

        var findings = ImmutableArray.CreateBuilder<Finding>();
        findings.AddRange(tlsFindings);
        findings.AddRange(InterpretationNotes(parsed, options, defaults, modes));

        var password = options.GetNonEmpty(LibpqKeywords.Password) is { } given ? new Secret(given) : null;
        if (password is null)
        {
            var passFile = options.GetNonEmpty(LibpqKeywords.PassFile)
                ?? (environment.HomeDirectory is { } home ? Path.Combine(home, ".pgpass") : null);
            if (passFile is not null)
            {
                // libpq looks the password up by host, or by hostaddr when no host was given.
                var lookup = PasswordFile.Lookup(passFile, target.Host ?? target.HostAddress, options.GetNonEmpty(LibpqKeywords.Port), database, user);
                password = lookup.Password;
                if (lookup.Source is not null)
                {
                    sources.Add(lookup.Source);
                }

                if (lookup.Note is not null)
                {
                    findings.Add(lookup.Note);
                }
            }
        }

        return new PostgresConnectionSpec
        {
            Host = target.Host,
            HostAddress = target.HostAddress,
            Port = target.Port,
            User = user,
            Database = database,
            Password = password,
            ConnectTimeout = connectTimeout,
            Negotiation = modes.Negotiation,
            ChannelBinding = modes.ChannelBinding,
            SslMode = modes.SslMode,
            Tls = policy,
            ApplicationName = options.GetNonEmpty(LibpqKeywords.ApplicationName)
                ?? options.GetNonEmpty(LibpqKeywords.FallbackApplicationName)
                ?? "dbtls",
            RedactedConnectionString = ConnectionStringRedactor.Redact(connectionString, parsed),
            Sources = [.. sources],
            Findings = findings.ToImmutable(),
        };
    }

    /// <summary>
    /// The connection string with every secret masked, for display even when it does not parse
    /// (a keyword/value string that does not parse and mentions a secret keyword is not shown at all).
    /// </summary>
    public static string Redact(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return ConnectionStringRedactor.RedactForDisplay(connectionString);
    }

    /// <summary>libpq's connect_timeout: whole seconds; 0 or negative waits forever; 1 is raised to libpq's minimum of 2.</summary>
    private static TimeSpan? ConnectTimeout(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var seconds = LibpqInteger.Parse(value, LibpqKeywords.ConnectTimeout);
        return seconds <= 0 ? null : TimeSpan.FromSeconds(Math.Max(seconds, 2));
    }

    /// <summary>
    /// Settings libpq accepts but that can only fail once connected; dbtls says so up front
    /// instead of connecting to fail.
    /// </summary>
    private static void CheckImpossibleCombinations(ValidatedModes modes)
    {
        if (modes.SslMode == "disable" && modes.ChannelBinding == ChannelBindingMode.Require)
        {
            throw LibpqErrors.Invalid(
                "channel_binding=require cannot work with sslmode=disable: channel binding needs a TLS connection (libpq fails after connecting)",
                "Use sslmode=verify-full (or at least require) with channel_binding=require.");
        }

        if (modes.SslMode == "disable" && modes.CertificateMode == ClientCertificateMode.Required)
        {
            throw LibpqErrors.Invalid(
                "sslcertmode=require cannot work with sslmode=disable: without TLS the server never requests a certificate (libpq fails with \"server did not request an SSL certificate\")",
                "Use an sslmode that encrypts, or set sslcertmode=allow.");
        }
    }

    private static IEnumerable<Finding> InterpretationNotes(ParsedConnectionString parsed, ConninfoOptions options, DefaultsOutcome defaults, ValidatedModes modes)
    {
        if (defaults.SslModeStrengthenedBySystemRoots)
        {
            yield return Note("sslrootcert=system without an sslmode: libpq makes the default sslmode verify-full.");
        }

        if (options.UsedRequireSsl)
        {
            yield return Note($"requiressl is the legacy spelling of sslmode: libpq reads it as sslmode={options.Get(LibpqKeywords.SslMode)}.",
                "Write sslmode=require (or verify-full) instead.");
        }

        if (defaults.UsedPgRequireSsl)
        {
            yield return Note("PGREQUIRESSL=1 is deprecated; libpq reads it as sslmode=require when neither sslmode nor PGSSLMODE is set.",
                "Set PGSSLMODE instead.");
        }

        if (parsed.UsedSslTrue)
        {
            yield return Note("ssl=true in the URI is JDBC syntax; libpq reads it as sslmode=require.", "Write sslmode=require (or verify-full) instead.");
        }

        if (modes.GssEncMode == "require")
        {
            yield return Note(
                "gssencmode=require: libpq would insist on GSSAPI (Kerberos) encryption instead of TLS; dbtls does not do GSSAPI and checks the TLS path as if gssencmode=disable.",
                "Remove gssencmode=require to have libpq use TLS.",
                Severity.Warning);
        }
    }

    private static Finding Note(string message, string? remedy = null, Severity? severity = null) =>
        FindingCatalog.Create(FindingCodes.ConfigNote, message, remedy, severity);
}
