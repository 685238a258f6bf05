using System.Globalization;
using DbTls.Conversion;
using DbTls.Dialects.Libpq;
using DbTls.Dialects.SqlClient;
using DbTls.Policy;

namespace DbTls.Dialects.Npgsql;

/// <summary>Npgsql strings read offline for <c>explain</c>, and a PostgreSQL policy written back as an Npgsql 10 string for <c>convert</c>.</summary>
internal sealed partial class NpgsqlDialect : IDescribableDialect
{
    public ConnectionProtocol Protocol => ConnectionProtocol.PostgreSql;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment)
    {
        var parsed = NpgsqlConnectionString.Parse(connectionString, LibpqDialect.EnvironmentOf(environment));
        return PostgresDescription.Of(
            Name,
            LibpqDialect.ApplyOverrides(parsed.Spec, environment),
            parsed.Summary,
            SqlClientConnectionStringParser.Parse(connectionString).Select(p => NpgsqlKeywords.Canonical(p.Key) ?? p.Key));
    }

    public RenderedConnection Render(ConnectionDescription description)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var parts = new List<(string Key, string Value)>();
        if (description.Hosts.Length > 0)
        {
            parts.Add((NpgsqlKeywords.Host, description.Hosts[0]));
        }
        else
        {
            notes.Add("host", ConversionEffect.ManualStep, "Npgsql needs Host: the original gave only an address (hostaddr); fill in the name the certificate carries");
        }

        parts.Add((NpgsqlKeywords.Port, description.Port.ToString(CultureInfo.InvariantCulture)));
        parts.AddIfSet(NpgsqlKeywords.Database, description.Database);
        parts.AddIfSet(NpgsqlKeywords.Username, description.User);
        if (description.HasPassword)
        {
            parts.Add((NpgsqlKeywords.Password, RenderNotes.PasswordText(description)));
            notes.Password(description, $"replace {RenderNotes.PasswordPlaceholder} with it, or remove Password and give it in PGPASSWORD or ~/.pgpass (Npgsql reads both)");
        }

        parts.Add((NpgsqlKeywords.SslMode, SslModeOf(policy).ToString()));
        if (policy.Encryption == EncryptionMode.TlsFirst)
        {
            parts.Add((NpgsqlKeywords.SslNegotiation, nameof(NpgsqlSslNegotiation.Direct)));
        }

        if (policy.Encryption != EncryptionMode.Disabled)
        {
            RenderVerification(policy, parts, notes);
            if (policy.ClientCertificate is { } client)
            {
                parts.Add((NpgsqlKeywords.SslCertificate, client.CertificatePath));
                parts.AddIfSet(NpgsqlKeywords.SslKey, client.KeyPath);
            }

            if (policy.ClientCertificateMode != ClientCertificateMode.Allowed)
            {
                notes.Add("client certificate", ConversionEffect.Different, $"Npgsql has no sslcertmode: it sends a configured client certificate when the server asks ({policy.ClientCertificateMode} is not expressed)");
            }

            notes.NoVersionSetting(policy, "Npgsql");
            if (!policy.SendSni)
            {
                notes.Add("sni", ConversionEffect.Different, "Npgsql always sends the host name in SNI");
            }
        }

        if (description.Extra.TryGetValue(LibpqKeywords.ChannelBinding, out var binding) && binding != "prefer")
        {
            parts.Add((NpgsqlKeywords.ChannelBinding, char.ToUpperInvariant(binding[0]) + binding[1..]));
        }

        return new RenderedConnection(string.Join(';', parts.Select(p => p.Key + "=" + SqlClientDialect.Quote(p.Value))), null, notes.ToImmutable());
    }

    /// <summary>The SSL Mode that gives the policy's encryption and verification: libpq's mode without the dash (Npgsql's Require never verifies either).</summary>
    private static NpgsqlSslMode SslModeOf(TlsPolicy policy) =>
        Enum.Parse<NpgsqlSslMode>(LibpqDialect.SslModeOf(policy).Replace("-", "", StringComparison.Ordinal), ignoreCase: true);

    private static void RenderVerification(TlsPolicy policy, List<(string Key, string Value)> parts, RenderNotes notes)
    {
        if (policy.Verification == VerificationLevel.None)
        {
            return;
        }

        parts.AddIfSet(NpgsqlKeywords.RootCertificate, notes.SinglePemFile(policy.Trust, "Npgsql", NpgsqlKeywords.RootCertificate));
        if (policy.ExpectedHostName is { } expected)
        {
            notes.Add("host name in certificate", ConversionEffect.Different, $"Npgsql always checks the certificate against Host; it cannot check \"{expected}\" instead: connect with Host={expected} to keep the check");
        }

        notes.NoPin(policy, "Npgsql", "SSL Mode=VerifyFull with Root Certificate set to the issuing CA");
        notes.NoCrl(policy, "Npgsql");
        notes.NoOcsp(policy, "Npgsql");
    }

}
