using System.Collections.Immutable;
using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using static DbTls.Dialects.FreeTds.FreeTdsTlsFindings;
using static DbTls.Dialects.FreeTds.FreeTdsVersionRules;

namespace DbTls.Dialects.FreeTds;

/// <summary>
/// Resolves <c>freetds:&lt;servername&gt;</c> through freetds.conf into a <see cref="TdsConnectionSpec"/> with
/// FreeTDS's semantics (FreeTDS 1.5 and its master branch; older releases lack <c>strict</c>,
/// <c>certificate hostname</c>, <c>~/.config/freetds.conf</c> and <c>enable tls v1.1</c>, which the spec
/// notes when they are used). The user comes from the caller, the password from DBTLS_PASSWORD.
/// </summary>
internal static class FreeTdsConnection
{
    public const string DialectName = "freetds";

    public const string Prefix = "freetds:";

    public static TdsConnectionSpec Parse(string target, string? user, FreeTdsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(environment);
        var server = ServerOf(target);
        var sources = ImmutableArray.CreateBuilder<string>();
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var settings = new FreeTdsSettings();
        var (steps, defining) = FindSection(environment, server, settings, sources);
        ApplyEnvironmentOverrides(environment, settings, sources);

        var encryption = ResolveEncryption(settings, sources);
        var strict = encryption == FreeTdsEncryption.Strict;
        var tdsVersion = ResolveVersion(settings.TdsVersion, strict, settings, findings);
        if (strict && string.IsNullOrEmpty(settings.CaFile))
        {
            settings.CaFile = "system";
            settings.SetOrigin("ca file", "implied by encryption = strict");
            sources.Add("ca file = system (implied by encryption = strict)");
        }

        var (host, port, instance) = EndpointOf(settings, server, defining, sources, findings);
        AddOrigins(settings, sources);
        var password = environment.Get(FreeTdsEnvironment.PasswordVariable);
        if (password is not null)
        {
            sources.Add($"password: {FreeTdsEnvironment.PasswordVariable}");
        }

        findings.AddRange(settings.Notes.Select(TdsDialectRules.Note));
        findings.AddRange(settings.Misspelt.Select(misspelt => FindingCatalog.Create(FindingCodes.ConfigWarning, misspelt, "Spell the option as FreeTDS names it (see freetds.conf(5)).")));

        var caFile = string.IsNullOrEmpty(settings.CaFile) ? null : settings.CaFile;
        var verifies = caFile is not null;
        AddTlsFindings(encryption, settings, caFile, verifies && settings.CheckCertificateHostname, findings);
        AddVersionNotes(settings, steps, strict, findings);

        return new TdsConnectionSpec
        {
            Dialect = DialectName,
            Host = host,
            Port = port,
            Instance = instance,
            User = string.IsNullOrEmpty(user) ? null : user,
            Password = password is null ? null : new Secret(password),
            Database = string.IsNullOrEmpty(settings.Database) ? null : settings.Database,
            ConnectTimeout = settings.ConnectTimeout > 0 ? TimeSpan.FromSeconds(settings.ConnectTimeout) : null,
            Version = tdsVersion,
            PreloginEncryption = encryption switch
            {
                FreeTdsEncryption.Off => TdsPreloginEncryption.NotSupported,
                FreeTdsEncryption.Request => TdsPreloginEncryption.Off,
                FreeTdsEncryption.Require => TdsPreloginEncryption.On,
                _ => TdsPreloginEncryption.NotSupported,
            },
            ServerAnswers = AnswerTable(encryption, verifies),
            LoginOnlySkipsValidation = false,
            Tls = PolicyOf(encryption, settings, caFile, environment.TlsBackend == FreeTdsTlsBackend.GnuTls),
            PolicySummary = Summary(encryption, settings, caFile, tdsVersion),
            RedactedConnectionString = Prefix + server,
            Sources = sources.ToImmutable(),
            Findings = findings.ToImmutable(),
        };
    }

    /// <summary>The section name of <c>freetds:NAME</c>.</summary>
    private static string ServerOf(string target)
    {
        if (!target.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw TdsDialectRules.Invalid($"a FreeTDS target is written \"{Prefix}<servername>\", naming a section of freetds.conf");
        }

        var server = target[Prefix.Length..];
        return server.Trim().Length == 0
            ? throw TdsDialectRules.Invalid($"\"{target}\" names no server: write {Prefix}<servername> with a section name from freetds.conf")
            : server;
    }

    /// <summary>Reads freetds.conf files in FreeTDS's search order until one defines the section; says which and what was read on the way.</summary>
    private static (List<FreeTdsSearchStep> Steps, FreeTdsSearchStep Defining) FindSection(
        FreeTdsEnvironment environment, string server, FreeTdsSettings settings, ImmutableArray<string>.Builder sources)
    {
        var (steps, defining) = FreeTdsConfigSearch.Run(FreeTdsConfigSearch.Candidates(environment), server, settings);
        if (defining is null)
        {
            throw new DbTlsException(
                FindingCodes.ConfigInvalid,
                $"server \"{server}\" is not defined in any freetds.conf; searched: {FreeTdsConfigSearch.Describe(steps, server)}",
                $"Add a [{server}] section with host and port to one of these files (FreeTDS itself would fall back to treating \"{server}\" as a host name on port 1433).");
        }

        var definingStep = steps[^1];
        sources.Add($"freetds.conf: {definingStep.Candidate.Display} ({definingStep.Candidate.Reason}; the first file in FreeTDS's search order that defines [{server}])");
        foreach (var step in steps.Take(steps.Count - 1).Where(s => s.Opened))
        {
            sources.Add($"[global] of {step.Candidate.Display} ({step.Candidate.Reason}) applied: FreeTDS read it on the way, it has no [{server}] section");
        }

        return (steps, definingStep);
    }

    /// <summary>The encryption setting in effect: TDS 8.0 implies strict (tds8_adjust_login), unset means request.</summary>
    private static FreeTdsEncryption ResolveEncryption(FreeTdsSettings settings, ImmutableArray<string>.Builder sources)
    {
        if (settings.TdsVersion?.Code == 0x800 && settings.Encryption != FreeTdsEncryption.Strict)
        {
            settings.Encryption = FreeTdsEncryption.Strict;
            sources.Add($"encryption = strict (implied by tds version = 8.0, {settings.OriginOf("tds version")})");
        }

        if (settings.Encryption == FreeTdsEncryption.Default)
        {
            sources.Add("encryption = request (FreeTDS's default for TDS 7.1 and later)");
            return FreeTdsEncryption.Request;
        }

        return settings.Encryption;
    }

    /// <summary>Host, port and instance as FreeTDS connects: port 1433 by default, a port wins over an instance.</summary>
    private static (string Host, int Port, string? Instance) EndpointOf(FreeTdsSettings settings, string server, FreeTdsSearchStep defining,
        ImmutableArray<string>.Builder sources, ImmutableArray<Finding>.Builder findings)
    {
        var host = settings.Host;
        if (string.IsNullOrEmpty(host))
        {
            throw TdsDialectRules.Invalid($"[{server}] in {defining.Candidate.Display} sets no host");
        }

        var port = settings.Port;
        var instance = string.IsNullOrEmpty(settings.Instance) ? null : settings.Instance;
        if (port == 0)
        {
            if (instance is not null)
            {
                throw TdsDialectRules.InstanceNeedsPort(instance, $"port = <port> in [{server}]");
            }

            sources.Add("port 1433 (FreeTDS's default for TDS 7 and later)");
            return (host, TdsDialectRules.DefaultPort, null);
        }

        if (port > 65535)
        {
            throw TdsDialectRules.Invalid($"port = {port.ToString(CultureInfo.InvariantCulture)} ({settings.OriginOf("port")}) is not a TCP port");
        }

        if (instance is not null)
        {
            findings.Add(TdsDialectRules.Note($"both port and instance \"{instance}\" are set: FreeTDS connects to port {port.ToString(CultureInfo.InvariantCulture)} and does not ask the SQL Server Browser"));
        }

        return (host, port, instance);
    }

    /// <summary>Where each setting that matters came from (file and line, or a variable), except the implied ones already named.</summary>
    private static void AddOrigins(FreeTdsSettings settings, ImmutableArray<string>.Builder sources)
    {
        foreach (var option in new[] { "host", "port", "instance", "tds version", "encryption", "ca file", "crl file", "check certificate hostname", "certificate hostname", "enable tls v1", "enable tls v1.1", "connect timeout", "database" })
        {
            var origin = settings.OriginOf(option);
            if (origin is not null && !origin.StartsWith("implied", StringComparison.Ordinal) && !origin.StartsWith("TDS", StringComparison.Ordinal))
            {
                sources.Add($"{option}: {origin}");
            }
        }
    }

    private static TlsPolicy PolicyOf(FreeTdsEncryption encryption, FreeTdsSettings settings, string? caFile, bool gnuTls)
    {
        var verifies = caFile is not null;
        var checksHostName = verifies && settings.CheckCertificateHostname;
        var crlFile = verifies && !string.IsNullOrEmpty(settings.CrlFile) ? settings.CrlFile : null;
        return new TlsPolicy
        {
            Encryption = encryption switch
            {
                FreeTdsEncryption.Off => EncryptionMode.Disabled,
                FreeTdsEncryption.Request => EncryptionMode.Opportunistic,
                FreeTdsEncryption.Require => EncryptionMode.Required,
                _ => EncryptionMode.TlsFirst,
            },
            Verification = !verifies ? VerificationLevel.None : checksHostName ? VerificationLevel.ChainAndHostName : VerificationLevel.Chain,
            Trust = caFile is null || caFile.Equals("system", StringComparison.OrdinalIgnoreCase) ? TrustSource.System : new TrustSource.PemFile(caFile),
            HostNameRules = gnuTls ? HostNameRules.FreeTdsGnuTls : HostNameRules.FreeTds,
            ChainEngine = gnuTls ? ChainEngine.GnuTls : ChainEngine.OpenSsl,
            ExpectedHostName = verifies && !string.IsNullOrEmpty(settings.CertificateHostname) ? settings.CertificateHostname : null,
            Revocation = crlFile is null
                ? RevocationPolicy.None
                : new RevocationPolicy { CrlFiles = [crlFile], Scope = gnuTls ? RevocationScope.AvailableCrlsOnly : RevocationScope.FullChain },
            ClientCertificateMode = ClientCertificateMode.Disabled,
            MinProtocol = settings.EnableTlsV1 ? TlsProtocolVersion.Tls10 : settings.EnableTlsV11 ? TlsProtocolVersion.Tls11 : TlsProtocolVersion.Tls12,
            // FreeTDS never sets a server name on the TLS session (no SSL_set_tlsext_host_name / gnutls_server_name_set).
            SendSni = false,
            Alpn = encryption == FreeTdsEncryption.Strict ? [TdsDialectRules.Tds80Alpn] : [],
        };
    }

    /// <summary>
    /// tds71_do_login: any answer but NOT_SUP sets up TLS (OFF for the login only), NOT_SUP fails only under
    /// <c>require</c>. Validation depends on <c>ca file</c> alone, also for login-only TLS.
    /// </summary>
    internal static TdsServerAnswerTable AnswerTable(FreeTdsEncryption encryption, bool verifies)
    {
        var encrypted = new TdsAnswerRule(TdsAnswerAction.Encrypt, verifies);
        var loginOnly = new TdsAnswerRule(TdsAnswerAction.LoginOnly, verifies, "FreeTDS encrypts the login packet, then drops TLS");
        return encryption switch
        {
            FreeTdsEncryption.Off => new TdsServerAnswerTable
            {
                Off = loginOnly,
                On = encrypted,
                NotSupported = TdsAnswerRule.Plaintext,
                Required = encrypted with { Note = "encryption = off, yet FreeTDS goes on with TLS when the server requires it (tds71_do_login fails only on NOT_SUP under require); the cTDS documentation says the connection fails" },
                Other = encrypted,
            },
            FreeTdsEncryption.Request => new TdsServerAnswerTable
            {
                Off = loginOnly,
                On = encrypted,
                NotSupported = TdsAnswerRule.Plaintext,
                Required = encrypted,
                Other = encrypted,
            },
            FreeTdsEncryption.Require => new TdsServerAnswerTable
            {
                Off = loginOnly with { Note = "even under encryption = require FreeTDS accepts ENCRYPT_OFF and encrypts only the login: tds71_do_login fails only on NOT_SUP" },
                On = encrypted,
                NotSupported = TdsAnswerRule.Fail("the server does not support encryption and encryption = require needs it"),
                Required = encrypted,
                Other = encrypted,
            },
            // TDS 8.0: TLS is already up and FreeTDS ignores the answer.
            _ => TdsServerAnswerTable.Always(encrypted),
        };
    }

    private static void ApplyEnvironmentOverrides(FreeTdsEnvironment environment, FreeTdsSettings settings, ImmutableArray<string>.Builder sources)
    {
        // tds_fix_login: TDSVER, TDSPORT and TDSHOST override freetds.conf.
        var tdsver = environment.Get("TDSVER");
        if (tdsver is not null)
        {
            if (settings.TrySetTdsVersion(tdsver))
            {
                settings.SetOrigin("tds version", $"TDSVER={tdsver}");
                sources.Add($"tds version = {tdsver} (TDSVER={tdsver})");
            }
            else
            {
                settings.Notes.Add($"TDSVER={tdsver} is not a version FreeTDS knows; it is ignored");
            }
        }

        var tdsport = environment.Get("TDSPORT");
        if (tdsport is not null)
        {
            // tds_lookup_port: a number, or a service name from /etc/services (dbtls takes numbers only).
            var port = FreeTdsSettings.LeadingInt(tdsport);
            if (port <= 0)
            {
                throw TdsDialectRules.Invalid($"TDSPORT=\"{tdsport}\" is not a port number");
            }

            settings.Port = port;
            settings.Instance = null;
            settings.SetOrigin("port", $"TDSPORT={tdsport}");
            sources.Add($"port {port.ToString(CultureInfo.InvariantCulture)} (TDSPORT={tdsport}, which also clears any instance)");
        }

        var tdshost = environment.Get("TDSHOST");
        if (!string.IsNullOrEmpty(tdshost))
        {
            settings.Host = tdshost;
            settings.SetOrigin("host", $"TDSHOST={tdshost}");
            sources.Add($"host {tdshost} (TDSHOST={tdshost})");
        }
    }
}
