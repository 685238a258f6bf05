using System.Globalization;
using DbTls.Conversion;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects.Jdbc;

/// <summary>JDBC URLs read offline for <c>explain</c>, and a TDS policy written back as a JDBC URL for <c>convert</c>.</summary>
internal sealed partial class JdbcDialect : IDescribableDialect
{
    public ConnectionProtocol Protocol => ConnectionProtocol.Tds;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment) =>
        TdsDescription.Of(
            TdsDialectRun.ApplyOverrides(JdbcConnectionString.Parse(connectionString), environment),
            JdbcUrlParser.Parse(connectionString).Select(p => JdbcProperties.Normalize(p.Name) ?? p.Name));

    public RenderedConnection Render(ConnectionDescription description)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var parts = new List<(string Key, string Value)>();
        parts.AddIfSet(JdbcProperties.DatabaseName, description.Database);
        parts.AddIfSet(JdbcProperties.User, description.User);
        if (description.HasPassword)
        {
            parts.Add((JdbcProperties.Password, RenderNotes.PasswordText(description)));
            notes.Password(description, $"replace {RenderNotes.PasswordPlaceholder} with it, or pass it in the driver's Properties");
        }

        var strict = policy.Encryption == EncryptionMode.TlsFirst;
        parts.Add((JdbcProperties.Encrypt, policy.Encryption switch
        {
            EncryptionMode.Disabled or EncryptionMode.Opportunistic => "false",
            EncryptionMode.Required => "true",
            _ => "strict",
        }));
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            notes.Add("encryption", ConversionEffect.Stronger, "the JDBC driver cannot switch encryption off: encrypt=false still encrypts the login when the server offers TLS");
        }

        RenderVerification(policy, strict, parts, notes);
        RenderProtocols(policy, parts, notes);
        notes.NoCrl(policy, "The JDBC driver");
        notes.NoOcsp(policy, "The JDBC driver");
        notes.NoClientCertificate(policy, "This JDBC URL");

        var url = JdbcUrlParser.Prefix + description.Hosts[0] + ":" + description.Port.ToString(CultureInfo.InvariantCulture)
            + string.Concat(parts.Select(p => ";" + p.Key + "=" + Braced(p.Value)));
        return new RenderedConnection(url, null, notes.ToImmutable());
    }

    private static void RenderVerification(TlsPolicy policy, bool strict, List<(string Key, string Value)> parts, RenderNotes notes)
    {
        // Kept even where it has no effect, so that a round trip gives back the original's settings.
        parts.AddIfSet(JdbcProperties.HostNameInCertificate, policy.ExpectedHostName);
        switch (policy.Verification)
        {
            case VerificationLevel.None when strict:
                notes.Add("verification", ConversionEffect.Stronger, "the JDBC driver always validates the certificate under encrypt=strict; the original accepted any certificate");
                break;
            case VerificationLevel.None when policy.Encryption == EncryptionMode.Disabled:
                // Nothing to keep: the original never used TLS, so the certificate is verified whenever the server forces it.
                return;
            case VerificationLevel.None:
                parts.Add((JdbcProperties.TrustServerCertificate, "true"));
                return;
            case VerificationLevel.Chain:
                notes.Add("verification", ConversionEffect.Stronger, "the JDBC driver cannot verify the chain without the host name; it checks both, so a certificate for another name is refused where the original accepted it");
                break;
        }

        if (policy.PinnedCertificatePath is { } pin)
        {
            if (strict)
            {
                parts.Add((JdbcProperties.ServerCertificate, pin));
                if (policy.Verification != VerificationLevel.PinnedCertificate)
                {
                    notes.Add("pinned certificate", ConversionEffect.Stronger, "the JDBC driver also refuses the pinned certificate once it has expired; the original accepted it whatever its dates");
                }
            }
            else
            {
                notes.NoPin(policy, "The JDBC driver without encrypt=strict", "chain and host-name verification against the trust store");
            }
        }

        switch (policy.Trust)
        {
            case TrustSource.Pkcs12Store store:
                parts.Add((JdbcProperties.TrustStore, store.Path));
                if (store.Password is not null)
                {
                    parts.Add((JdbcProperties.TrustStorePassword, RenderNotes.PasswordPlaceholder));
                    notes.Add("trustStorePassword", ConversionEffect.ManualStep, $"the trust store password is not copied; replace {RenderNotes.PasswordPlaceholder} with it");
                }

                break;
            case TrustSource.PemFile or TrustSource.PemDirectory:
                var path = policy.Trust is TrustSource.PemFile file ? file.Path : ((TrustSource.PemDirectory)policy.Trust).Path;
                parts.Add((JdbcProperties.TrustStore, path + ".p12"));
                parts.Add((JdbcProperties.TrustStoreType, "PKCS12"));
                notes.Add("trustStore", ConversionEffect.ManualStep, $"the JDBC driver reads a PKCS#12 trust store, not PEM: create it with 'keytool -importcert -noprompt -alias ca -file <each CA of {path}> -keystore {path}.p12 -storetype PKCS12'");
                break;
        }
    }

    /// <summary>sslProtocol opens a range ending at the named version; a range the driver cannot name is left at its default, which is never weaker.</summary>
    private static void RenderProtocols(TlsPolicy policy, List<(string Key, string Value)> parts, RenderNotes notes)
    {
        var min = policy.MinProtocol ?? TlsProtocolVersion.Tls12;
        var max = policy.MaxProtocol ?? TlsProtocolVersion.Tls13;
        var value = (min, max) switch
        {
            (TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls12) => "TLSv1.2",
            (TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls10) => "TLSv1",
            (TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls11) => "TLSv1.1",
            _ => null,
        };
        if (value is not null)
        {
            parts.Add((JdbcProperties.SslProtocol, value));
        }
        else if (min < TlsProtocolVersion.Tls12)
        {
            notes.Add("tls versions", ConversionEffect.Stronger, $"the JDBC driver cannot offer {min.ToDisplay()} together with TLS 1.2 and later; it is left at TLS 1.2 and later");
        }
        else if (min == TlsProtocolVersion.Tls13)
        {
            notes.Add("tls versions", ConversionEffect.Weaker, "the JDBC driver cannot refuse TLS 1.2 while offering TLS 1.3 (sslProtocol=TLSv1.3 also enables TLS 1.2)");
        }
    }

    /// <summary>The JDBC URL's escaping: a value holding ';', '=' or a brace goes in braces, with '}' doubled.</summary>
    private static string Braced(string value) =>
        value.IndexOfAny([';', '{', '}', '=']) < 0 && value.Trim() == value ? value : "{" + value.Replace("}", "}}", StringComparison.Ordinal) + "}";
}
