using System.Collections.Immutable;
using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Dialects.Pgjdbc;

/// <summary>
/// Reads a <c>jdbc:postgresql:</c> URL the way pgjdbc 42.x does and turns it into the same
/// <see cref="PostgresConnectionSpec"/> libpq strings become, so the PostgreSQL check runs unchanged.
/// </summary>
internal static class PgjdbcConnectionString
{
    public static PostgresConnectionSpec Parse(string connectionString, CheckEnvironment environment)
    {
        var url = PgjdbcUrl.Parse(connectionString);
        var first = url.Hosts[0];
        var host = first.Host.Length > 1 && first.Host[0] == '[' && first.Host[^1] == ']' ? first.Host[1..^1] : first.Host;

        // Driver.connect: the user defaults to Java's user.name, the database to the user.
        var user = url.Get(PgjdbcProperties.User) ?? environment.OsUserName ?? Environment.UserName;
        var database = url.Database ?? user;
        var (mode, shown) = PgjdbcSslRules.Mode(url);
        var files = mode == "disable" ? new PgjdbcFiles(null, null, [], []) : PgjdbcFiles.Resolve(url, mode, environment.Home);

        // The verifier is given the host as written in the URL, brackets included.
        var (policy, tlsFindings) = PgjdbcSslRules.Build(mode, first.Host, url, files);

        var findings = ImmutableArray.CreateBuilder<Finding>();
        findings.AddRange(tlsFindings);
        findings.AddRange(files.Notes);
        findings.AddRange(PropertyNotes(url));
        var sources = files.Sources.ToBuilder();
        var password = url.Get(PgjdbcProperties.Password) is { } given ? new Secret(given) : PassFile(environment, first, database, user, sources, findings);

        return new PostgresConnectionSpec
        {
            Host = host,
            Port = first.Port,
            User = user,
            Database = database,
            Password = password,
            ConnectTimeout = ConnectTimeout(url.Get(PgjdbcProperties.ConnectTimeout)),
            Negotiation = policy.Encryption == EncryptionMode.TlsFirst ? PostgresNegotiation.Direct : PostgresNegotiation.Postgres,
            ChannelBinding = ChannelBindingMode.Prefer,
            SslMode = shown,
            Tls = policy with { ExpectedHostName = first.Host == host ? null : first.Host },
            ApplicationName = url.Get(PgjdbcProperties.ApplicationName) ?? "dbtls",
            RedactedConnectionString = PgjdbcRedactor.Redact(connectionString),
            Sources = sources.ToImmutable(),
            Findings = findings.ToImmutable(),
        };
    }

    /// <summary>pgjdbc reads ~/.pgpass (or PGPASSFILE) when the URL has no password, with libpq's file format.</summary>
    private static Secret? PassFile(CheckEnvironment environment, PgjdbcHost host, string database, string user, ImmutableArray<string>.Builder sources, ImmutableArray<Finding>.Builder findings)
    {
        var path = environment.Variables.TryGetValue("PGPASSFILE", out var file) && file.Length > 0 ? file
            : environment.Home is { } home ? Path.Combine(home, ".pgpass") : null;
        if (path is null)
        {
            return null;
        }

        var lookup = PasswordFile.Lookup(path, host.Host, host.Port.ToString(CultureInfo.InvariantCulture), database, user);
        if (lookup.Source is not null)
        {
            sources.Add(lookup.Source);
        }

        if (lookup.Note is not null)
        {
            findings.Add(lookup.Note);
        }

        return lookup.Password;
    }

    private static IEnumerable<Finding> PropertyNotes(PgjdbcUrl url)
    {
        if (url.Hosts.Length > 1)
        {
            yield return FindingCatalog.Create(FindingCodes.ConfigNote,
                $"The URL names {url.Hosts.Length} hosts; dbtls checks the first ({url.Hosts[0].Host}:{url.Hosts[0].Port}), which pgjdbc tries first with the default targetServerType=any.");
        }

        foreach (var property in url.Properties)
        {
            if (PgjdbcProperties.CaseSlip(property.Name) is { } meant)
            {
                yield return FindingCatalog.Create(FindingCodes.ConfigNote,
                    $"\"{property.Name}\" is not a pgjdbc property (names are case-sensitive), so pgjdbc ignores it; did you mean \"{meant}\"?",
                    $"Write {meant}=... instead.", Severity.Warning);
            }
        }
    }

    /// <summary>connectTimeout in seconds (pgjdbc default 10); 0 waits forever; a value that is not a number is ignored.</summary>
    private static TimeSpan? ConnectTimeout(string? value) =>
        value is null ? TimeSpan.FromSeconds(10)
        : int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) ? seconds > 0 ? TimeSpan.FromSeconds(seconds) : null
        : TimeSpan.FromSeconds(10);
}
