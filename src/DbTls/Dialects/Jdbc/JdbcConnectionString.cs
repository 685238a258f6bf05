using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using static DbTls.Dialects.Jdbc.JdbcEndpoint;
using static DbTls.Dialects.Jdbc.JdbcSslProtocol;
using static DbTls.Dialects.Jdbc.JdbcTrustStore;
using static DbTls.Dialects.Jdbc.JdbcValues;

namespace DbTls.Dialects.Jdbc;

/// <summary>
/// Parses <c>jdbc:sqlserver://</c> URLs into a <see cref="TdsConnectionSpec"/> with the semantics of the
/// Microsoft JDBC Driver for SQL Server 13.x (SQLServerConnection, TDSChannel.enableSSL).
/// </summary>
internal static class JdbcConnectionString
{
    public const string DialectName = "jdbc";

    private const int DefaultLoginTimeoutSeconds = 30;

    public static TdsConnectionSpec Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var sources = ImmutableArray.CreateBuilder<string>();
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var values = ReadValues(url, findings, out var secretRanges);
        RejectUnsupported(values);

        var encrypt = ParseEncrypt(Get(values, JdbcProperties.Encrypt));
        if (encrypt is null)
        {
            encrypt = JdbcEncrypt.True;
            sources.Add("encrypt=true (the JDBC driver's default since 10.2)");
        }

        var strict = encrypt == JdbcEncrypt.Strict;
        var trustServerCertificate = Bool(values, JdbcProperties.TrustServerCertificate);
        if (strict && trustServerCertificate)
        {
            findings.Add(TdsDialectRules.Note("trustServerCertificate=true is ignored with encrypt=strict: the driver treats it as false"));
            trustServerCertificate = false;
        }

        var hostNameInCertificate = Get(values, JdbcProperties.HostNameInCertificate);
        var serverCertificate = Get(values, JdbcProperties.ServerCertificate);
        var pinned = strict && serverCertificate is not null;
        AddCertificateNameNotes(findings, strict, hostNameInCertificate, serverCertificate);

        var (host, instance, port) = Endpoint(values, sources);
        var trust = TrustStore(values, pinned, findings);
        var (minProtocol, maxProtocol) = Protocols(Get(values, JdbcProperties.SslProtocol), findings);
        var verifies = strict || !trustServerCertificate;
        AddEncryptionFindings(findings, encrypt.Value, verifies);

        var loginTimeout = LoginTimeout(Get(values, JdbcProperties.LoginTimeout), sources);
        var user = Get(values, JdbcProperties.User);
        var password = Get(values, JdbcProperties.Password);
        var database = Get(values, JdbcProperties.DatabaseName);

        var tls = new TlsPolicy
        {
            Encryption = encrypt switch
            {
                JdbcEncrypt.False => EncryptionMode.Opportunistic,
                JdbcEncrypt.True => EncryptionMode.Required,
                _ => EncryptionMode.TlsFirst,
            },
            Verification = pinned ? VerificationLevel.PinnedCertificate
                : verifies ? VerificationLevel.ChainAndHostName
                : VerificationLevel.None,
            Trust = trust,
            HostNameRules = HostNameRules.Jdbc,
            ChainEngine = ChainEngine.JavaPkix,
            ExpectedHostName = hostNameInCertificate,
            PinnedCertificatePath = pinned ? serverCertificate : null,
            ClientCertificateMode = ClientCertificateMode.Disabled,
            MinProtocol = minProtocol,
            MaxProtocol = maxProtocol,
            SendSni = JsseSendsSni(host),
            Alpn = strict ? [TdsDialectRules.Tds80Alpn] : [],
        };

        return new TdsConnectionSpec
        {
            Dialect = DialectName,
            Host = host,
            Port = port,
            Instance = instance,
            User = user,
            Password = password is null ? null : new Secret(password),
            Database = string.IsNullOrEmpty(database) ? null : database,
            LoginTimeout = loginTimeout,
            Version = strict ? TdsVersion.Tds80 : TdsVersion.Tds74,
            PreloginEncryption = encrypt switch
            {
                JdbcEncrypt.False => TdsPreloginEncryption.Off,
                JdbcEncrypt.True => TdsPreloginEncryption.On,
                _ => TdsPreloginEncryption.NotSupported,
            },
            ServerAnswers = AnswerTable(encrypt.Value, verifies),
            LoginOnlySkipsValidation = true,
            Tls = tls,
            PolicySummary = SummaryOf(values, encrypt.Value, trustServerCertificate),
            RedactedConnectionString = Redact(url, secretRanges),
            Sources = sources.ToImmutable(),
            Findings = findings.ToImmutable(),
        };
    }

    /// <summary>
    /// The properties by canonical name (a later one wins), with a finding for each unknown one and the spans of every
    /// secret value, and of an unknown name right after a secret (the tail of a password that contained ';').
    /// </summary>
    private static Dictionary<string, string> ReadValues(string url, ImmutableArray<Finding>.Builder findings, out List<(int Start, int End)> secretRanges)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        secretRanges = [];
        var afterSecret = false;
        foreach (var property in JdbcUrlParser.Parse(url))
        {
            var secret = JdbcProperties.IsSecret(property.Name);
            if (secret && property.ValueStart >= 0)
            {
                secretRanges.Add((property.ValueStart, property.ValueEnd));
            }

            var name = JdbcProperties.Normalize(property.Name);
            if (name is null)
            {
                if (afterSecret && property.NameStart >= 0)
                {
                    secretRanges.Add((property.NameStart, property.ValueEnd));
                }

                findings.Add(afterSecret
                    ? TdsDialectRules.Note("an unknown property right after a secret is ignored, as the JDBC driver ignores it (a value containing ';' must be written in braces)")
                    : UnknownProperty(property.Name));
            }
            else
            {
                values[name] = property.Value;
            }

            afterSecret = secret;
        }

        return values;
    }

    /// <summary>What hostNameInCertificate and serverCertificate do, or do not do, under this encrypt setting.</summary>
    private static void AddCertificateNameNotes(ImmutableArray<Finding>.Builder findings, bool strict, string? hostNameInCertificate, string? serverCertificate)
    {
        if (hostNameInCertificate is { Length: 0 })
        {
            findings.Add(TdsDialectRules.Note("hostNameInCertificate is empty: the driver then checks the certificate against an empty name, which nothing matches"));
        }

        if (serverCertificate is not null && !strict)
        {
            findings.Add(TdsDialectRules.Note("serverCertificate is ignored unless encrypt=strict: the driver uses it only for TDS 8.0"));
        }

        if (strict && serverCertificate is not null && hostNameInCertificate is not null)
        {
            findings.Add(TdsDialectRules.Note("hostNameInCertificate is not checked when serverCertificate is given: with encrypt=strict the driver compares the certificate byte for byte and checks only its validity dates"));
        }
    }

    /// <summary>What encrypt=false and trustServerCertificate=true leave open.</summary>
    private static void AddEncryptionFindings(ImmutableArray<Finding>.Builder findings, JdbcEncrypt encrypt, bool verifies)
    {
        if (encrypt == JdbcEncrypt.False)
        {
            findings.Add(FindingCatalog.Create(
                FindingCodes.TlsOpportunistic,
                "encrypt=false: the driver sends ENCRYPT_OFF; if the server answers ENCRYPT_OFF only the login is encrypted (with any certificate accepted) and everything after it is plaintext, and an attacker who answers ENCRYPT_NOT_SUP gets the login, password included, in plaintext",
                "Use encrypt=true (or encrypt=strict on SQL Server 2022 and later) with trustServerCertificate=false."));

            // What a server that forces encryption (REQ) means for the certificate is said by the answer table's note, only
            // when the server does answer REQ: against an OFF server it would describe something that did not happen.
        }

        if (!verifies)
        {
            findings.Add(FindingCatalog.Create(
                FindingCodes.CertNotVerified,
                "trustServerCertificate=true: the driver accepts any server certificate, so anyone in the path can impersonate the server",
                "Set trustServerCertificate=false and trust the server's issuer (trustStore=<PKCS#12 file>), or use encrypt=strict with serverCertificate=<file>."));
        }
    }

    /// <summary>The TLS properties in the driver's words, e.g. <c>encrypt=true; trustServerCertificate=false</c>.</summary>
    private static string SummaryOf(Dictionary<string, string> values, JdbcEncrypt encrypt, bool trustServerCertificate)
    {
        var summary = new StringBuilder()
            .Append("encrypt=").Append(encrypt.ToString().ToLowerInvariant())
            .Append("; trustServerCertificate=").Append(trustServerCertificate ? "true" : "false");
        AppendIfSet(summary, JdbcProperties.HostNameInCertificate, Get(values, JdbcProperties.HostNameInCertificate));
        AppendIfSet(summary, JdbcProperties.TrustStore, Get(values, JdbcProperties.TrustStore));
        AppendIfSet(summary, JdbcProperties.ServerCertificate, Get(values, JdbcProperties.ServerCertificate));
        AppendIfSet(summary, JdbcProperties.SslProtocol, Get(values, JdbcProperties.SslProtocol));
        return summary.ToString();
    }

    /// <summary>
    /// SQLServerConnection.prelogin and TDSChannel.enableSSL: with ENCRYPT_OFF sent, OFF means login-only
    /// TLS with a trust-all manager, ON and REQ full TLS validated unless trustServerCertificate; with
    /// ENCRYPT_ON sent anything but ON or REQ fails. Values outside 0–3 are invalid TDS, even under strict.
    /// </summary>
    internal static TdsServerAnswerTable AnswerTable(JdbcEncrypt encrypt, bool verifies)
    {
        var encrypted = new TdsAnswerRule(TdsAnswerAction.Encrypt, verifies);
        var invalid = TdsAnswerRule.Fail("the driver rejects an ENCRYPTION answer other than OFF, ON, NOT_SUP or REQ as invalid TDS");
        return encrypt switch
        {
            JdbcEncrypt.False => new TdsServerAnswerTable
            {
                Off = new(TdsAnswerAction.LoginOnly, false, "the driver encrypts only the login packet and accepts any certificate for it (PermissiveX509TrustManager)"),
                On = encrypted,
                NotSupported = TdsAnswerRule.Plaintext,
                Required = encrypted with { Note = "the server forces encryption: since driver 10.2 the certificate is validated unless trustServerCertificate=true (Microsoft's behaviour table still says it is not)" },
                Other = invalid,
            },
            JdbcEncrypt.True => new TdsServerAnswerTable
            {
                Off = TdsAnswerRule.Fail("the server answered ENCRYPT_OFF but encrypt=true needs ON or REQ"),
                On = encrypted,
                NotSupported = TdsAnswerRule.Fail("the server does not support encryption and encrypt=true requires it"),
                Required = encrypted,
                Other = invalid,
            },
            _ => TdsServerAnswerTable.Always(encrypted) with { Other = invalid },
        };
    }

    internal static JdbcEncrypt? ParseEncrypt(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "false" or "no" or "optional" => JdbcEncrypt.False,
        "true" or "yes" or "mandatory" => JdbcEncrypt.True,
        "strict" => JdbcEncrypt.Strict,
        _ => throw TdsDialectRules.Invalid($"encrypt=\"{value}\" is not valid: use false, true or strict (also no/optional, yes/mandatory)"),
    };

    private static TimeSpan LoginTimeout(string? text, ImmutableArray<string>.Builder sources)
    {
        if (string.IsNullOrEmpty(text))
        {
            sources.Add("loginTimeout=30 (the JDBC driver's default)");
            return TimeSpan.FromSeconds(DefaultLoginTimeoutSeconds);
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || seconds > 65535)
        {
            throw TdsDialectRules.Invalid($"loginTimeout=\"{text}\" is not valid: use 0 to 65535 seconds");
        }

        if (seconds == 0)
        {
            sources.Add("loginTimeout=0 means the default of 30 s");
            return TimeSpan.FromSeconds(DefaultLoginTimeoutSeconds);
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static void RejectUnsupported(Dictionary<string, string> values)
    {
        if (Bool(values, JdbcProperties.IntegratedSecurity))
        {
            throw TdsDialectRules.Invalid("integratedSecurity=true (Kerberos/NTLM) is not supported: dbtls logs in with SQL Server authentication (user and password)");
        }

        var authentication = Get(values, JdbcProperties.Authentication);
        if (!string.IsNullOrEmpty(authentication)
            && !authentication.Equals("SqlPassword", StringComparison.OrdinalIgnoreCase)
            && !authentication.Equals("NotSpecified", StringComparison.OrdinalIgnoreCase))
        {
            // Entra ID methods make the driver send FEDAUTHREQUIRED and request encryption regardless of encrypt.
            throw TdsDialectRules.Invalid($"authentication=\"{authentication}\" is not supported: dbtls logs in with SQL Server authentication only (authentication=SqlPassword)");
        }

        if (Get(values, JdbcProperties.AccessToken) is not null)
        {
            throw TdsDialectRules.Invalid("accessToken is not supported: dbtls logs in with SQL Server authentication only");
        }

        if (Get(values, JdbcProperties.TrustManagerClass) is not null)
        {
            throw TdsDialectRules.Invalid("trustManagerClass is not supported: a custom Java trust manager cannot be reproduced outside the JVM");
        }

        if (Get(values, JdbcProperties.ClientCertificate) is not null)
        {
            throw TdsDialectRules.Invalid("clientCertificate is not supported by dbtls's JDBC dialect");
        }

        if (Bool(values, JdbcProperties.Fips))
        {
            throw TdsDialectRules.Invalid("fips=true is not supported: it changes the JVM's security provider, which dbtls cannot reproduce");
        }
    }

    /// <summary>JSSE sends SNI only for a name with a dot that is not an IP literal and does not end in a dot.</summary>
    internal static bool JsseSendsSni(string host) =>
        host.IndexOf('.', StringComparison.Ordinal) > 0 && !host.EndsWith('.') && !TdsDialectRules.IsIpLiteral(host);

    private static void AppendIfSet(StringBuilder summary, string name, string? value)
    {
        if (value is not null)
        {
            summary.Append("; ").Append(name).Append('=').Append(value);
        }
    }

    private static string Redact(string url, List<(int Start, int End)> ranges)
    {
        if (ranges.Count == 0)
        {
            return url;
        }

        var builder = new StringBuilder(url.Length);
        var copied = 0;
        foreach (var (start, end) in ranges.OrderBy(r => r.Start))
        {
            builder.Append(url, copied, start - copied).Append("********");
            copied = end;
        }

        return builder.Append(url, copied, url.Length - copied).ToString();
    }

    /// <summary>
    /// The driver drops an unknown property; dbtls names the one it was probably meant to be, and a misspelling is a
    /// warning (a plain unknown name stays a note), which for a TLS property (trustServerCertficate, trustStor) says
    /// that the TLS setting the user wrote silently does not apply.
    /// </summary>
    private static Finding UnknownProperty(string name)
    {
        var meant = JdbcProperties.Suggest(name);
        var message = $"unknown property \"{name}\" is ignored, as the JDBC driver ignores it{(meant is null ? "" : $"; did you mean \"{meant}\"?")}";
        if (meant is null)
        {
            return TdsDialectRules.Note(message);
        }

        var tls = JdbcProperties.TlsProperties.Contains(meant, StringComparer.Ordinal)
            ? $" The TLS setting \"{meant}\" does not apply, so the connection is not protected as written."
            : "";
        return FindingCatalog.Create(FindingCodes.ConfigWarning, message + tls, $"Spell the property \"{meant}\" exactly.");
    }
}
