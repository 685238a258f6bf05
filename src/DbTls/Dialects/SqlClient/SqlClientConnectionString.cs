using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects.SqlClient;

/// <summary>
/// Parses Microsoft.Data.SqlClient connection strings into a <see cref="TdsConnectionSpec"/> with
/// SqlClient's semantics (managed SNI, the code path on Linux and macOS).
/// </summary>
internal static class SqlClientConnectionString
{
    public const string DialectName = "sqlclient";

    private const int MaxNameLength = 128;

    public static TdsConnectionSpec Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var values = ReadValues(connectionString, out var secretRanges);
        var sources = ImmutableArray.CreateBuilder<string>();
        var findings = ImmutableArray.CreateBuilder<Finding>();

        if (Bool(values, SqlClientKeywords.ContextConnection, false))
        {
            throw TdsDialectRules.Invalid("Context Connection=true only exists inside SQL Server's CLR host");
        }

        RejectUnsupportedAuthentication(values);

        var encrypt = ParseEncrypt(Get(values, SqlClientKeywords.Encrypt));
        if (encrypt is null)
        {
            encrypt = SqlClientEncrypt.Mandatory;
            sources.Add("Encrypt=Mandatory (SqlClient's default since version 4.0)");
        }

        var trustServerCertificate = Bool(values, SqlClientKeywords.TrustServerCertificate, false);
        var hostNameInCertificate = NullIfEmpty(Get(values, SqlClientKeywords.HostNameInCertificate));
        var serverCertificate = NullIfEmpty(Get(values, SqlClientKeywords.ServerCertificate));
        var dataSource = DataSourceOf(values, sources, findings);
        var loginTimeout = LoginTimeoutOf(values, sources, findings);

        var user = Get(values, SqlClientKeywords.UserId);
        var password = Get(values, SqlClientKeywords.Password);
        var database = NullIfEmpty(Get(values, SqlClientKeywords.InitialCatalog));
        CheckLength(user, SqlClientKeywords.UserId);
        CheckLength(password, SqlClientKeywords.Password);
        CheckLength(database, SqlClientKeywords.InitialCatalog);

        var strict = encrypt == SqlClientEncrypt.Strict;

        // Strict always validates; otherwise TrustServerCertificate=true switches validation off entirely.
        var verifies = strict || !trustServerCertificate;
        AddVerificationFindings(findings, encrypt.Value, trustServerCertificate, verifies, serverCertificate);

        return new TdsConnectionSpec
        {
            Dialect = DialectName,
            Host = dataSource.Host,
            Port = dataSource.Port ?? TdsDialectRules.DefaultPort,
            Instance = null,
            User = user,
            Password = password is null ? null : new Secret(password),
            Database = database,
            LoginTimeout = loginTimeout,
            Version = strict ? TdsVersion.Tds80 : TdsVersion.Tds74,
            PreloginEncryption = encrypt switch
            {
                SqlClientEncrypt.Optional => TdsPreloginEncryption.Off,
                SqlClientEncrypt.Mandatory => TdsPreloginEncryption.On,
                _ => TdsPreloginEncryption.NotSupported,
            },
            ServerAnswers = AnswerTable(encrypt.Value, verifies),
            LoginOnlySkipsValidation = true,
            Tls = PolicyOf(encrypt.Value, verifies, hostNameInCertificate, serverCertificate),
            PolicySummary = SummaryOf(encrypt.Value, trustServerCertificate, hostNameInCertificate, serverCertificate),
            RedactedConnectionString = Redact(connectionString, secretRanges),
            Sources = sources.ToImmutable(),
            Findings = findings.ToImmutable(),
        };
    }

    /// <summary>The pairs by canonical keyword (a later one wins, as in SqlClient), and where the password's values are.</summary>
    private static Dictionary<string, string?> ReadValues(string connectionString, out List<(int Start, int End)> secretRanges)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        secretRanges = [];
        var afterPassword = false;
        foreach (var pair in SqlClientConnectionStringParser.Parse(connectionString))
        {
            var keyword = SqlClientKeywords.Canonical(pair.Key);
            if (keyword is null)
            {
                // A ';' inside an unquoted password splits it: the tail then looks like a key and must not be echoed.
                throw TdsDialectRules.Invalid(
                    afterPassword
                        ? "keyword not supported right after the password: a password containing ';' must be quoted with ' or \""
                        : $"keyword not supported: '{pair.Key}' (SqlClient rejects unknown keywords)");
            }

            values[keyword] = pair.Value;
            afterPassword = keyword == SqlClientKeywords.Password;
            if (afterPassword && pair.ValueStart >= 0)
            {
                secretRanges.Add((pair.ValueStart, pair.ValueEnd));
            }
        }

        return values;
    }

    /// <summary>Data Source with SqlClient's aliases and its rule that a port makes it drop the instance.</summary>
    private static SqlClientDataSource DataSourceOf(Dictionary<string, string?> values, ImmutableArray<string>.Builder sources, ImmutableArray<Finding>.Builder findings)
    {
        var dataSourceText = Get(values, SqlClientKeywords.DataSource) ?? string.Empty;
        CheckLength(dataSourceText, SqlClientKeywords.DataSource);
        var dataSource = SqlClientDataSource.Parse(dataSourceText);
        if (dataSource.LocalAlias)
        {
            sources.Add("host localhost (SqlClient uses it for an empty Data Source, '.' and '(local)')");
        }

        if (dataSource.Instance is not null)
        {
            throw TdsDialectRules.InstanceNeedsPort(dataSource.Instance, @"Data Source=host\instance,port or host,port");
        }

        if (dataSource.DroppedInstance is not null)
        {
            findings.Add(TdsDialectRules.Note($"instance \"{dataSource.DroppedInstance}\" is ignored because the Data Source names port {dataSource.Port?.ToString(CultureInfo.InvariantCulture)} (SqlClient drops the instance when a port is given)"));
        }

        if (dataSource.Port is null)
        {
            sources.Add("port 1433 (default)");
        }

        return dataSource;
    }

    /// <summary>Connect Timeout: 15 s by default, 0 for no limit.</summary>
    private static TimeSpan? LoginTimeoutOf(Dictionary<string, string?> values, ImmutableArray<string>.Builder sources, ImmutableArray<Finding>.Builder findings)
    {
        var connectTimeout = Int(values, SqlClientKeywords.ConnectTimeout);
        if (connectTimeout is null)
        {
            sources.Add("Connect Timeout=15 (SqlClient's default)");
            return TimeSpan.FromSeconds(15);
        }

        if (connectTimeout < 0)
        {
            throw TdsDialectRules.Invalid($"Invalid value for key '{SqlClientKeywords.ConnectTimeout}': it must be 0 (no limit) or a positive number of seconds");
        }

        if (connectTimeout == 0)
        {
            findings.Add(TdsDialectRules.Note("Connect Timeout=0: SqlClient waits without a time limit"));
            return null;
        }

        return TimeSpan.FromSeconds(connectTimeout.Value);
    }

    /// <summary>What the encryption and trust settings leave open, and the settings they make meaningless.</summary>
    private static void AddVerificationFindings(ImmutableArray<Finding>.Builder findings, SqlClientEncrypt encrypt, bool trustServerCertificate, bool verifies, string? serverCertificate)
    {
        if (encrypt == SqlClientEncrypt.Strict && trustServerCertificate)
        {
            findings.Add(TdsDialectRules.Note("TrustServerCertificate=True is ignored under Encrypt=Strict: SqlClient always validates the certificate in strict mode"));
        }

        if (encrypt == SqlClientEncrypt.Optional)
        {
            findings.Add(FindingCatalog.Create(
                FindingCodes.TlsOpportunistic,
                "Encrypt=Optional: SqlClient sends ENCRYPT_OFF; if the server answers ENCRYPT_OFF only the login is encrypted (with any certificate accepted) and everything after it is plaintext, and an attacker who answers ENCRYPT_NOT_SUP gets the login, password included, in plaintext",
                "Use Encrypt=Mandatory (or Encrypt=Strict on SQL Server 2022 and later) with TrustServerCertificate=False."));
        }

        if (!verifies)
        {
            findings.Add(FindingCatalog.Create(
                FindingCodes.CertNotVerified,
                "TrustServerCertificate=True: SqlClient accepts any server certificate, so anyone in the path can impersonate the server",
                "Set TrustServerCertificate=False and give the server a certificate the client trusts, or pin the server's certificate with ServerCertificate=<file>."));
            if (serverCertificate is not null)
            {
                findings.Add(TdsDialectRules.Note("ServerCertificate has no effect with TrustServerCertificate=True: SqlClient does not validate at all"));
            }
        }

        if (serverCertificate is not null && verifies && !File.Exists(serverCertificate))
        {
            findings.Add(TdsDialectRules.Note($"ServerCertificate file \"{serverCertificate}\" does not exist; SqlClient 7.1 refuses the connection when it cannot load the pinned certificate"));
        }
    }

    private static TlsPolicy PolicyOf(SqlClientEncrypt encrypt, bool verifies, string? hostNameInCertificate, string? serverCertificate) => new()
    {
        Encryption = encrypt switch
        {
            SqlClientEncrypt.Optional => EncryptionMode.Opportunistic,
            SqlClientEncrypt.Mandatory => EncryptionMode.Required,
            _ => EncryptionMode.TlsFirst,
        },
        Verification = verifies ? VerificationLevel.ChainAndHostName : VerificationLevel.None,
        Trust = TrustSource.System,
        HostNameRules = HostNameRules.SqlClient,
        ExpectedHostName = hostNameInCertificate,
        PinnedCertificatePath = verifies ? serverCertificate : null,
        ClientCertificateMode = ClientCertificateMode.Disabled,
        SendSni = true,
        Alpn = encrypt == SqlClientEncrypt.Strict ? [TdsDialectRules.Tds80Alpn] : [],
    };

    /// <summary>The TLS settings in SqlClient's words, e.g. <c>Encrypt=Mandatory; TrustServerCertificate=False</c>.</summary>
    private static string SummaryOf(SqlClientEncrypt encrypt, bool trustServerCertificate, string? hostNameInCertificate, string? serverCertificate)
    {
        var summary = new StringBuilder()
            .Append("Encrypt=").Append(encrypt)
            .Append("; TrustServerCertificate=").Append(trustServerCertificate ? "True" : "False");
        if (hostNameInCertificate is not null)
        {
            summary.Append("; HostNameInCertificate=").Append(hostNameInCertificate);
        }

        if (serverCertificate is not null)
        {
            summary.Append("; ServerCertificate=").Append(serverCertificate);
        }

        return summary.ToString();
    }

    /// <summary>
    /// TdsParser.ConsumePreLoginHandshake: the answer is masked with 0x3F; with ENCRYPT_OFF sent, OFF means
    /// login-only, REQ means full encryption and anything else (even ON) means no TLS at all; with
    /// ENCRYPT_ON sent, only NOT_SUP fails. Login-only TLS never validates the certificate.
    /// </summary>
    internal static TdsServerAnswerTable AnswerTable(SqlClientEncrypt encrypt, bool verifies)
    {
        var encrypted = new TdsAnswerRule(TdsAnswerAction.Encrypt, verifies);
        return encrypt switch
        {
            SqlClientEncrypt.Optional => new TdsServerAnswerTable
            {
                Off = new(TdsAnswerAction.LoginOnly, false, "SqlClient encrypts only the LOGIN7 packet and accepts any certificate for it"),
                On = new(TdsAnswerAction.Plaintext, false, "SqlClient treats ENCRYPT_ON in answer to ENCRYPT_OFF like NOT_SUP: no TLS, the login goes in plaintext"),
                NotSupported = TdsAnswerRule.Plaintext,
                Required = encrypted with { Note = "the server forces encryption; SqlClient encrypts everything and validates the certificate unless TrustServerCertificate=True" },
                Other = TdsAnswerRule.Plaintext,
                AnswerMask = 0x3F,
            },
            SqlClientEncrypt.Mandatory => new TdsServerAnswerTable
            {
                Off = encrypted,
                On = encrypted,
                NotSupported = TdsAnswerRule.Fail("the server does not support encryption and Encrypt=Mandatory requires it"),
                Required = encrypted,
                Other = encrypted,
                AnswerMask = 0x3F,
            },
            // Under TDS 8.0 TLS is already up; SqlClient skips the ENCRYPT option of the answer.
            _ => TdsServerAnswerTable.Always(encrypted) with { AnswerMask = 0x3F },
        };
    }

    internal static SqlClientEncrypt? ParseEncrypt(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "true" or "yes" or "mandatory" => SqlClientEncrypt.Mandatory,
        "false" or "no" or "optional" => SqlClientEncrypt.Optional,
        "strict" => SqlClientEncrypt.Strict,
        _ => throw TdsDialectRules.Invalid($"Invalid value for key '{SqlClientKeywords.Encrypt}': \"{value}\"; use Optional, Mandatory or Strict (true/yes and false/no also work)"),
    };

    private static void RejectUnsupportedAuthentication(Dictionary<string, string?> values)
    {
        var integrated = Get(values, SqlClientKeywords.IntegratedSecurity)?.Trim();
        if (integrated is not null)
        {
            var on = integrated.ToLowerInvariant() switch
            {
                "true" or "yes" or "sspi" => true,
                "false" or "no" => false,
                _ => throw TdsDialectRules.Invalid($"Invalid value for key '{SqlClientKeywords.IntegratedSecurity}': \"{integrated}\""),
            };
            if (on)
            {
                throw TdsDialectRules.Invalid("Integrated Security (Kerberos/NTLM) is not supported: dbtls logs in with SQL Server authentication (User ID and Password)");
            }
        }

        var authentication = Get(values, SqlClientKeywords.Authentication)?.Trim();
        if (!string.IsNullOrEmpty(authentication)
            && !authentication.Equals("SqlPassword", StringComparison.OrdinalIgnoreCase)
            && !authentication.Equals("Sql Password", StringComparison.OrdinalIgnoreCase))
        {
            // Entra ID methods change PRELOGIN (FEDAUTHREQUIRED) and make SqlClient validate even login-only TLS.
            throw TdsDialectRules.Invalid($"Authentication=\"{authentication}\" is not supported: dbtls logs in with SQL Server authentication only (Authentication=SqlPassword)");
        }
    }

    private static string? Get(Dictionary<string, string?> values, string keyword) => values.GetValueOrDefault(keyword);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool Bool(Dictionary<string, string?> values, string keyword, bool defaultValue)
    {
        var value = Get(values, keyword);
        if (value is null)
        {
            return defaultValue;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw TdsDialectRules.Invalid($"Invalid value for key '{keyword}': \"{value}\"; use True or False (yes/no also work)"),
        };
    }

    private static int? Int(Dictionary<string, string?> values, string keyword)
    {
        var value = Get(values, keyword);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw TdsDialectRules.Invalid($"Invalid value for key '{keyword}': \"{value}\" is not a whole number");
    }

    private static void CheckLength(string? value, string keyword)
    {
        if (value is not null && value.Length > MaxNameLength)
        {
            // Never echo the value: it may be the password.
            throw TdsDialectRules.Invalid($"the value of '{keyword}' is longer than SqlClient's limit of {MaxNameLength} characters");
        }
    }

    private static string Redact(string connectionString, List<(int Start, int End)> ranges)
    {
        if (ranges.Count == 0)
        {
            return connectionString;
        }

        var builder = new StringBuilder(connectionString.Length);
        var copied = 0;
        foreach (var (start, end) in ranges.OrderBy(r => r.Start))
        {
            builder.Append(connectionString, copied, start - copied).Append("********");
            copied = end;
        }

        return builder.Append(connectionString, copied, connectionString.Length - copied).ToString();
    }
}
