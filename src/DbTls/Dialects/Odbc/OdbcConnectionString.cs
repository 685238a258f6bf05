using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects.Odbc;

/// <summary>
/// Microsoft ODBC Driver 18 (and 17) for SQL Server connection strings, from Microsoft's documentation ("ODBC driver
/// major version differences", "DSN and connection string keywords"), NOT measured: the driver cannot be installed here
/// (Microsoft's apt repository is unreachable), so its rows are documented behaviour. Driver 18 defaults to
/// <c>Encrypt=yes</c> (17: no); <c>yes</c>/<c>Mandatory</c> and <c>no</c>/<c>Optional</c> are synonyms, <c>Strict</c>
/// is TDS 8.0 (18 only); the certificate is validated whenever the driver encrypts unless
/// <c>TrustServerCertificate=yes</c> (ignored under Strict); <c>HostNameInCertificate</c> names the host to verify;
/// <c>ServerCertificate</c> (18.1, Strict only) pins the certificate. The PRELOGIN answer handling is taken to be
/// SqlClient's (the documented table is the same). The driver uses the system OpenSSL on Linux.
/// </summary>
internal static class OdbcConnectionString
{
    public const string DialectName = "odbc";

    public static TdsConnectionSpec Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in OdbcAttributes.Parse(connectionString))
        {
            values[attribute.Key] = attribute.Value;
        }

        var findings = ImmutableArray.CreateBuilder<Finding>();
        var sources = ImmutableArray.CreateBuilder<string>();
        var driver = values.GetValueOrDefault("Driver") ?? "";
        var version = OdbcDialect.DriverVersion(driver) ?? throw TdsDialectRules.Invalid($"Driver={{{driver}}} is not Microsoft ODBC Driver 17 or 18 for SQL Server");
        var encryptText = values.GetValueOrDefault("Encrypt");
        var encrypt = encryptText?.ToLowerInvariant() switch
        {
            null => version >= 18 ? SqlClientEncrypt.Mandatory : SqlClientEncrypt.Optional,
            "yes" or "mandatory" or "true" => SqlClientEncrypt.Mandatory,
            "no" or "optional" or "false" => SqlClientEncrypt.Optional,
            "strict" when version >= 18 => SqlClientEncrypt.Strict,
            _ => throw TdsDialectRules.Invalid($"Invalid value for Encrypt: \"{encryptText}\"", version >= 18 ? "Use yes, no, Mandatory, Optional or Strict." : "Driver 17 takes yes or no."),
        };
        if (encryptText is null)
        {
            sources.Add(version >= 18 ? "Encrypt=yes (ODBC Driver 18's default; Driver 17 defaulted to no)" : "Encrypt=no (ODBC Driver 17's default)");
        }

        var trust = values.GetValueOrDefault("TrustServerCertificate")?.ToLowerInvariant() is "yes" or "true";
        var hostName = NullIfEmpty(values.GetValueOrDefault("HostNameInCertificate"));
        var pin = NullIfEmpty(values.GetValueOrDefault("ServerCertificate"));
        var strict = encrypt == SqlClientEncrypt.Strict;
        if (pin is not null && !strict)
        {
            findings.Add(TdsDialectRules.Note("ServerCertificate is only used with Encrypt=Strict (ODBC Driver 18.1 and later); it is ignored here"));
            pin = null;
        }

        var verifies = strict || !trust;
        AddFindings(encrypt, trust, strict, findings);
        var server = values.GetValueOrDefault("Server") ?? values.GetValueOrDefault("Address") ?? values.GetValueOrDefault("Addr") ?? "";
        var dataSource = SqlClientDataSource.Parse(server);
        if (dataSource.Instance is not null)
        {
            throw TdsDialectRules.InstanceNeedsPort(dataSource.Instance, "Server=tcp:host,port");
        }

        var summary = $"Driver={{{driver}}}; Encrypt={encryptText ?? (version >= 18 ? "yes (default)" : "no (default)")}; TrustServerCertificate={(trust ? "yes" : "no")}"
            + (hostName is null ? "" : $"; HostNameInCertificate={hostName}") + (pin is null ? "" : $"; ServerCertificate={pin}");
        return new TdsConnectionSpec
        {
            Dialect = DialectName,
            Host = dataSource.Host,
            Port = dataSource.Port ?? TdsDialectRules.DefaultPort,
            User = values.GetValueOrDefault("UID"),
            Password = values.GetValueOrDefault("PWD") is { } password ? new Secret(password) : null,
            Database = NullIfEmpty(values.GetValueOrDefault("Database")),
            LoginTimeout = TimeSpan.FromSeconds(15),
            Version = strict ? TdsVersion.Tds80 : TdsVersion.Tds74,
            PreloginEncryption = encrypt switch
            {
                SqlClientEncrypt.Optional => TdsPreloginEncryption.Off,
                SqlClientEncrypt.Mandatory => TdsPreloginEncryption.On,
                _ => TdsPreloginEncryption.NotSupported,
            },
            ServerAnswers = SqlClientConnectionString.AnswerTable(encrypt, verifies),
            LoginOnlySkipsValidation = true,
            Tls = new TlsPolicy
            {
                Encryption = encrypt switch
                {
                    SqlClientEncrypt.Optional => EncryptionMode.Opportunistic,
                    SqlClientEncrypt.Mandatory => EncryptionMode.Required,
                    _ => EncryptionMode.TlsFirst,
                },
                Verification = pin is not null ? VerificationLevel.PinnedCertificate : verifies ? VerificationLevel.ChainAndHostName : VerificationLevel.None,
                Trust = TrustSource.System,
                HostNameRules = HostNameRules.Rfc6125,
                ChainEngine = ChainEngine.OpenSsl,
                ExpectedHostName = hostName,
                PinnedCertificatePath = pin,
                ClientCertificateMode = ClientCertificateMode.Disabled,
                Alpn = strict ? [TdsDialectRules.Tds80Alpn] : [],
            },
            PolicySummary = summary,
            RedactedConnectionString = OdbcDialect.RedactParsed(connectionString),
            Sources = sources.ToImmutable(),
            Findings = findings.ToImmutable(),
        };
    }

    private static void AddFindings(SqlClientEncrypt encrypt, bool trust, bool strict, ImmutableArray<Finding>.Builder findings)
    {
        if (encrypt == SqlClientEncrypt.Optional)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                "Encrypt=no: the driver encrypts only the login unless the server forces encryption; everything after the login is plaintext, and an attacker can make even the login plaintext",
                "Use Encrypt=yes (or Encrypt=strict on SQL Server 2022 and later) with TrustServerCertificate=no."));
        }

        if (trust && strict)
        {
            findings.Add(TdsDialectRules.Note("TrustServerCertificate=yes is ignored under Encrypt=strict: the driver always validates the certificate in strict mode"));
        }
        else if (trust)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.CertNotVerified,
                "TrustServerCertificate=yes: the ODBC driver accepts any server certificate, so anyone in the path can impersonate the server",
                "Set TrustServerCertificate=no and give the server a certificate the client trusts, or set HostNameInCertificate to the name the certificate carries."));
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
