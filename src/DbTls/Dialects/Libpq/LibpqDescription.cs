using System.Globalization;
using System.Text;
using DbTls.Conversion;
using DbTls.Policy;

namespace DbTls.Dialects.Libpq;

/// <summary>libpq read offline for <c>explain</c>, and a policy written back as a libpq keyword/value string for <c>convert</c>.</summary>
internal sealed partial class LibpqDialect : IDescribableDialect
{
    public ConnectionProtocol Protocol => ConnectionProtocol.PostgreSql;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment)
    {
        var spec = ApplyOverrides(LibpqConnectionString.Parse(connectionString, EnvironmentOf(environment)), environment);
        var parsed = ConninfoUriParser.PrefixLength(connectionString) > 0
            ? ConninfoUriParser.Parse(connectionString)
            : ConninfoKeyValueParser.Parse(connectionString);
        var summary = new StringBuilder("sslmode=").Append(spec.SslMode);
        if (spec.Negotiation == PostgresNegotiation.Direct)
        {
            summary.Append(" sslnegotiation=direct");
        }

        return PostgresDescription.Of(Name, spec, summary.ToString(), parsed.Settings.Select(s => s.Keyword));
    }

    public RenderedConnection Render(ConnectionDescription description)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var settings = new List<(string Key, string Value)>();
        if (description.Hosts.Length > 0)
        {
            settings.Add((LibpqKeywords.Host, description.Hosts[0]));
        }

        settings.Add((LibpqKeywords.Port, description.Port.ToString(CultureInfo.InvariantCulture)));
        settings.AddIfSet(LibpqKeywords.DbName, description.Database);
        settings.AddIfSet(LibpqKeywords.User, description.User);
        settings.AddIfSet(LibpqKeywords.Password, description.Password?.Reveal());
        notes.Password(description, "give it in PGPASSWORD or ~/.pgpass (libpq reads both), never in the string");

        var mode = SslModeOf(policy);
        settings.Add((LibpqKeywords.SslMode, mode));
        if (policy.Encryption == EncryptionMode.TlsFirst)
        {
            settings.Add((LibpqKeywords.SslNegotiation, "direct"));
        }

        if (policy.Encryption != EncryptionMode.Disabled)
        {
            RenderTrust(policy, mode, settings, notes);
            RenderClientCertificate(policy, settings);
            settings.AddIfSet(LibpqKeywords.SslMinProtocolVersion, policy.MinProtocol?.ToDisplay());
            settings.AddIfSet(LibpqKeywords.SslMaxProtocolVersion, policy.MaxProtocol?.ToDisplay());
            if (!policy.SendSni)
            {
                settings.Add((LibpqKeywords.SslSni, "0"));
            }

            if (policy.ExpectedHostName is { } expected)
            {
                notes.Add("host name in certificate", ConversionEffect.Different, $"libpq always checks the certificate against host; it cannot check \"{expected}\" instead: connect with host={expected} (and hostaddr=<address>) to keep the check");
            }

            notes.NoPin(policy, "libpq", "sslmode=verify-full with sslrootcert set to the issuing CA");
            notes.NoOcsp(policy, "libpq");
        }

        if (description.Extra.TryGetValue(LibpqKeywords.ChannelBinding, out var binding) && binding != "prefer")
        {
            settings.Add((LibpqKeywords.ChannelBinding, binding));
        }

        var text = string.Join(' ', settings.Select(s => s.Key + "=" + Quote(s.Value)));
        return new RenderedConnection(text, null, notes.ToImmutable());
    }

    /// <summary>The sslmode that gives the policy's encryption and verification (pgjdbc's and Npgsql's modes carry the same names).</summary>
    internal static string SslModeOf(TlsPolicy policy) => policy.Encryption switch
    {
        EncryptionMode.Disabled => "disable",
        EncryptionMode.Opportunistic => policy.OpportunisticOrder == OpportunisticOrder.PlaintextFirst ? "allow" : "prefer",
        _ => policy.Verification switch
        {
            VerificationLevel.None => "require",
            VerificationLevel.Chain => "verify-ca",
            _ => "verify-full",
        },
    };

    private static void RenderTrust(TlsPolicy policy, string mode, List<(string Key, string Value)> settings, RenderNotes notes)
    {
        if (policy.Verification == VerificationLevel.None)
        {
            // An explicit empty-looking root would not stop libpq: a ~/.postgresql/root.crt makes require verify the chain.
            if (mode == "require")
            {
                notes.Add("sslrootcert", ConversionEffect.Stronger, "libpq verifies the chain even under sslmode=require when ~/.postgresql/root.crt exists on the machine that runs it");
            }

            return;
        }

        switch (policy.Trust)
        {
            case TrustSource.SystemStore:
                settings.Add((LibpqKeywords.SslRootCert, "system"));

                // Measured: psql 15 reads "system" as a file name and fails ("root certificate file \"system\" does not exist").
                notes.Add("driver release", ConversionEffect.Different, "sslrootcert=system needs libpq 16 or later; with an older libpq name the system's CA bundle file instead (on Debian /etc/ssl/certs/ca-certificates.crt)");
                if (mode != "verify-full")
                {
                    // libpq refuses sslrootcert=system with anything weaker than verify-full.
                    settings.RemoveAll(s => s.Key == LibpqKeywords.SslMode);
                    settings.Insert(settings.FindIndex(s => s.Key == LibpqKeywords.SslRootCert), (LibpqKeywords.SslMode, "verify-full"));
                    notes.Add("sslmode", ConversionEffect.Stronger, $"libpq takes sslrootcert=system only with sslmode=verify-full, so the host name is checked too where the original ({mode}) did not");
                }

                break;
            default:
                settings.Add((LibpqKeywords.SslRootCert, notes.SinglePemFile(policy.Trust, "libpq", LibpqKeywords.SslRootCert)!));
                break;
        }

        foreach (var file in policy.Revocation.CrlFiles.Take(1))
        {
            settings.Add((LibpqKeywords.SslCrl, file));
        }

        foreach (var directory in policy.Revocation.CrlDirectories.Take(1))
        {
            settings.Add((LibpqKeywords.SslCrlDir, directory));
        }

        if (policy.Revocation.CrlFiles.Length > 1 || policy.Revocation.CrlDirectories.Length > 1)
        {
            notes.Add("sslcrl", ConversionEffect.ManualStep, "libpq takes one CRL file and one CRL directory: concatenate the others into the file");
        }

        if (policy.Revocation.Enabled && policy.Revocation.Scope != RevocationScope.FullChain)
        {
            notes.Add("sslcrl", ConversionEffect.Stronger, "libpq checks every certificate of the chain against a CRL (a missing CRL for an intermediate fails the connection); the original checked fewer");
        }
    }

    private static void RenderClientCertificate(TlsPolicy policy, List<(string Key, string Value)> settings)
    {
        if (policy.ClientCertificate is { } client)
        {
            settings.Add((LibpqKeywords.SslCert, client.CertificatePath));
            settings.AddIfSet(LibpqKeywords.SslKey, client.KeyPath);
        }

        if (policy.ClientCertificateMode != ClientCertificateMode.Allowed)
        {
            settings.Add((LibpqKeywords.SslCertMode, policy.ClientCertificateMode.ToString().ToLowerInvariant()));
        }
    }

    /// <summary>libpq's conninfo quoting: single quotes around values with spaces, quotes or backslashes, which are escaped.</summary>
    private static string Quote(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '\\')
            ? value
            : "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
