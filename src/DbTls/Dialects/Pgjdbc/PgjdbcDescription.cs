using System.Globalization;
using DbTls.Conversion;
using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Dialects.Pgjdbc;

/// <summary>pgjdbc URLs read offline for <c>explain</c>, and a PostgreSQL policy written back as a <c>jdbc:postgresql:</c> URL for <c>convert</c>.</summary>
internal sealed partial class PgjdbcDialect : IDescribableDialect
{
    public ConnectionProtocol Protocol => ConnectionProtocol.PostgreSql;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment)
    {
        var spec = LibpqDialect.ApplyOverrides(PgjdbcConnectionString.Parse(connectionString, environment), environment);
        return PostgresDescription.Of(Name, spec, "sslmode=" + spec.SslMode, PgjdbcUrl.Parse(connectionString).Properties.Select(p => p.Name));
    }

    public RenderedConnection Render(ConnectionDescription description)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var properties = new List<(string Key, string Value)>();
        properties.AddIfSet(PgjdbcProperties.User, description.User);
        if (description.HasPassword)
        {
            properties.Add((PgjdbcProperties.Password, RenderNotes.PasswordText(description)));
            notes.Password(description, $"replace {RenderNotes.PasswordPlaceholder} with it (URL-encoded), or remove password and give it in ~/.pgpass (pgjdbc reads it)");
        }

        // pgjdbc's modes have libpq's names; pgjdbc's require never verifies, which the verification level already says.
        properties.Add((PgjdbcProperties.SslMode, LibpqDialect.SslModeOf(policy)));
        if (policy.Encryption == EncryptionMode.TlsFirst)
        {
            properties.Add((PgjdbcProperties.SslNegotiation, "direct"));
            notes.Add("sslNegotiation", ConversionEffect.Different, "pgjdbc reads sslNegotiation=direct from 42.7.4 on; older versions ignore it and negotiate TLS the traditional way");
        }

        if (policy.Encryption != EncryptionMode.Disabled)
        {
            RenderVerification(policy, properties, notes);
            RenderClientCertificate(policy, properties, notes);
            notes.NoVersionSetting(policy, "pgjdbc");
        }

        if (description.Extra.TryGetValue(LibpqKeywords.ChannelBinding, out var binding) && binding == "require")
        {
            notes.Add("channel_binding", ConversionEffect.Weaker, "this pgjdbc URL does not require SCRAM channel binding (channel_binding=require is not carried over)");
        }

        var host = description.Hosts.Length == 0 ? "localhost" : description.Hosts[0].Contains(':', StringComparison.Ordinal) ? "[" + description.Hosts[0] + "]" : description.Hosts[0];
        if (description.Hosts.Length == 0)
        {
            notes.Add("host", ConversionEffect.ManualStep, "pgjdbc needs a host name: the original gave only an address (hostaddr); replace localhost with the name the certificate carries");
        }

        var url = PgjdbcUrl.Prefix + "//" + host + ":" + description.Port.ToString(CultureInfo.InvariantCulture) + "/" + Uri.EscapeDataString(description.Database ?? "")
            + "?" + string.Join('&', properties.Select(p => p.Key + "=" + Encode(p.Value)));
        return new RenderedConnection(url, null, notes.ToImmutable());
    }

    private static void RenderVerification(TlsPolicy policy, List<(string Key, string Value)> properties, RenderNotes notes)
    {
        if (policy.Verification == VerificationLevel.None)
        {
            return;
        }

        if (policy.Trust is TrustSource.SystemStore)
        {
            // pgjdbc's own factory never falls back to the system roots; the JVM's default trust store is the nearest.
            properties.Add((PgjdbcProperties.SslFactory, PgjdbcSslRules.DefaultJavaFactory));
            notes.Add("trust store", ConversionEffect.Different, "pgjdbc reads the system roots through the JVM's default trust store (cacerts) with sslfactory=DefaultJavaSSLFactory; a JVM with its own cacerts trusts what that file holds");
        }
        else
        {
            properties.AddIfSet(PgjdbcProperties.SslRootCert, notes.SinglePemFile(policy.Trust, "pgjdbc", PgjdbcProperties.SslRootCert));
        }

        if (policy.ExpectedHostName is { } expected)
        {
            notes.Add("host name in certificate", ConversionEffect.Different, $"pgjdbc checks the certificate against the host of the URL; it cannot check \"{expected}\" instead: connect to {expected} to keep the check");
        }

        notes.NoPin(policy, "pgjdbc", "sslmode=verify-full with sslrootcert set to the issuing CA");
        notes.NoCrl(policy, "pgjdbc");
        notes.NoOcsp(policy, "pgjdbc");
    }

    private static void RenderClientCertificate(TlsPolicy policy, List<(string Key, string Value)> properties, RenderNotes notes)
    {
        if (policy.ClientCertificate is { } client)
        {
            properties.Add((PgjdbcProperties.SslCert, client.CertificatePath));
            if (client.KeyPath is { } key)
            {
                properties.Add((PgjdbcProperties.SslKey, key));
                if (!key.EndsWith(".pk8", StringComparison.Ordinal))
                {
                    notes.Add("sslkey", ConversionEffect.ManualStep, $"pgjdbc reads the client key as PKCS#8 DER: convert it with 'openssl pkcs8 -topk8 -outform DER -in {key} -out {key}.pk8 -nocrypt' and name {key}.pk8");
                }
            }
        }

        if (policy.ClientCertificateMode != ClientCertificateMode.Allowed)
        {
            notes.Add("client certificate", ConversionEffect.Different, $"pgjdbc has no sslcertmode: it sends a configured client certificate when the server asks ({policy.ClientCertificateMode} is not expressed)");
        }
    }

    /// <summary>Percent-encoding URLDecoder undoes; '/' and ':' stay readable (pgjdbc splits properties only at '&amp;' and '=').</summary>
    private static string Encode(string value) => value == RenderNotes.PasswordPlaceholder
        ? value
        : Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal);

}
