using System.Globalization;
using DbTls.Conversion;
using DbTls.Policy;

namespace DbTls.Dialects.NodePostgres;

/// <summary>node-postgres read offline for <c>explain</c>, and a policy written back as a postgres:// URI for <c>convert</c>.</summary>
internal sealed partial class NodePostgresDialect : IDescribableDialect
{
    private const string Target = "node-postgres";

    public ConnectionProtocol Protocol => ConnectionProtocol.PostgreSql;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment)
    {
        var (parsed, summary) = NodePostgresConnectionString.Parse(connectionString, environment);
        var spec = Libpq.LibpqDialect.ApplyOverrides(parsed, environment);
        return new ConnectionDescription
        {
            Dialect = Name,
            Protocol = Protocol,
            RedactedConnectionString = spec.RedactedConnectionString,
            Hosts = spec.Host is { } host ? [host] : [],
            Port = spec.Port,
            User = spec.User,
            Database = spec.Database,
            HasPassword = spec.Password is not null,
            Password = spec.Password,
            Tls = spec.Tls,
            PolicySummary = summary,
            WrittenKeywords = [.. NodePostgresUri.Parse(connectionString).Parameters.Keys],
            Sources = spec.Sources,
            Findings = spec.Findings,
        };
    }

    public RenderedConnection Render(ConnectionDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var notes = new RenderNotes();
        var policy = description.Tls;
        var query = new List<(string Key, string Value)>();
        notes.Password(description, "give it in PGPASSWORD (pg reads it), or as postgres://user:<password>@... percent-encoded");

        if (policy.Encryption == EncryptionMode.Disabled)
        {
            query.Add(("sslmode", "disable"));
        }
        else
        {
            if (policy.Encryption == EncryptionMode.Opportunistic)
            {
                notes.Add("sslmode", ConversionEffect.Stronger, "node-postgres never falls back to plaintext: once TLS is asked for, a server without TLS is refused");
            }

            RenderVerification(policy, query, notes);
            if (policy.ClientCertificate is { } client)
            {
                query.Add(("sslcert", client.CertificatePath));
                if (client.KeyPath is { } key)
                {
                    query.Add(("sslkey", key));
                }

                if (client.KeyPassword is not null || client.KeyPath is null)
                {
                    notes.Add("sslkey", ConversionEffect.ManualStep, "node-postgres reads a PEM key file without a password from the string: decrypt the key, or pass ssl.passphrase in the client config");
                }
            }

            if (policy.Encryption == EncryptionMode.TlsFirst)
            {
                query.Add(("sslnegotiation", "direct"));
            }

            if (policy.ExpectedHostName is { } expected)
            {
                notes.Add("host name in certificate", ConversionEffect.Different, $"node-postgres checks the certificate against the host it connects to; to check \"{expected}\" connect with that name");
            }

            if (policy.MinProtocol is not null || policy.MaxProtocol is not null)
            {
                notes.Add("protocol versions", ConversionEffect.ManualStep, "the string cannot limit TLS versions: pass ssl.minVersion / ssl.maxVersion in the client config");
            }

            notes.NoPin(policy, Target, "sslmode=verify-full with sslrootcert set to the issuing CA");
            notes.NoOcsp(policy, Target);
            notes.NoCrl(policy, Target);
        }

        var host = description.Hosts.Length > 0 ? description.Hosts[0] : "localhost";
        host = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        var password = description.Password is { } secret ? ":" + Uri.EscapeDataString(secret.Reveal()) : "";
        var user = string.IsNullOrEmpty(description.User) ? "" : Uri.EscapeDataString(description.User) + password + "@";
        var database = string.IsNullOrEmpty(description.Database) ? "" : Uri.EscapeDataString(description.Database);
        var text = $"postgres://{user}{host}:{description.Port.ToString(CultureInfo.InvariantCulture)}/{database}"
            + "?" + string.Join('&', query.Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value)));
        return new RenderedConnection(text, null, notes.ToImmutable());
    }

    private static void RenderVerification(TlsPolicy policy, List<(string Key, string Value)> query, RenderNotes notes)
    {
        var root = policy.Trust switch
        {
            TrustSource.PemFile file => file.Path,
            TrustSource.PemDirectory directory => Manual(notes, directory.Path + "/root.crt", $"node-postgres reads one sslrootcert file: concatenate the PEM files of {directory.Path} into {directory.Path}/root.crt"),
            TrustSource.Pkcs12Store store => Manual(notes, store.Path + ".pem", $"node-postgres reads PEM, not PKCS#12: export the trusted certificates with 'openssl pkcs12 -in {store.Path} -nokeys -out {store.Path}.pem'"),
            _ => null,
        };

        switch (policy.Verification)
        {
            case VerificationLevel.None:
                query.Add(("sslmode", "no-verify"));
                return;
            case VerificationLevel.Chain when root is not null:
                // Only libpq-compatible mode checks the chain without the host name.
                query.Add(("uselibpqcompat", "true"));
                query.Add(("sslmode", "verify-ca"));
                break;
            case VerificationLevel.Chain:
                query.Add(("sslmode", "verify-full"));
                notes.Add("sslmode", ConversionEffect.Stronger, "node-postgres checks the chain without the host name only with uselibpqcompat=true and an sslrootcert file; against the default CAs it checks the host name too");
                break;
            default:
                query.Add(("sslmode", "verify-full"));
                break;
        }

        if (root is not null)
        {
            query.Add(("sslrootcert", root));
        }
        else
        {
            notes.Add("sslrootcert", ConversionEffect.Different, "without sslrootcert Node trusts its own bundled Mozilla CA list, not the system store (NODE_EXTRA_CA_CERTS or node --use-openssl-ca change that)");
        }
    }

    private static string Manual(RenderNotes notes, string path, string message)
    {
        notes.Add("sslrootcert", ConversionEffect.ManualStep, message);
        return path;
    }
}
