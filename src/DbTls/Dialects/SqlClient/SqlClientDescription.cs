using System.Globalization;
using DbTls.Conversion;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects.SqlClient;

/// <summary>SqlClient read offline for <c>explain</c>, and a TDS policy written back as a SqlClient string for <c>convert</c>.</summary>
internal sealed partial class SqlClientDialect : IDescribableDialect
{
    public ConnectionProtocol Protocol => ConnectionProtocol.Tds;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment) =>
        TdsDescription.Of(
            TdsDialectRun.ApplyOverrides(SqlClientConnectionString.Parse(connectionString), environment),
            SqlClientConnectionStringParser.Parse(connectionString).Select(p => SqlClientKeywords.Canonical(p.Key.ToLowerInvariant()) ?? p.Key));

    public RenderedConnection Render(ConnectionDescription description)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var parts = new List<(string Key, string Value)>
        {
            (SqlClientKeywords.DataSource, description.Hosts[0] + "," + description.Port.ToString(CultureInfo.InvariantCulture)),
        };
        parts.AddIfSet(SqlClientKeywords.InitialCatalog, description.Database);
        parts.AddIfSet(SqlClientKeywords.UserId, description.User);
        if (description.HasPassword)
        {
            parts.Add((SqlClientKeywords.Password, RenderNotes.PasswordText(description)));
            notes.Password(description, $"replace {RenderNotes.PasswordPlaceholder} with it");
        }

        var strict = policy.Encryption == EncryptionMode.TlsFirst;
        parts.Add((SqlClientKeywords.Encrypt, policy.Encryption switch
        {
            EncryptionMode.Disabled or EncryptionMode.Opportunistic => "Optional",
            EncryptionMode.Required => "Mandatory",
            _ => "Strict",
        }));
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            notes.Add("encryption", ConversionEffect.Stronger, "SqlClient cannot switch encryption off: Encrypt=Optional still encrypts the login when the server offers TLS");
        }

        switch (policy.Verification)
        {
            case VerificationLevel.None when strict:
                notes.Add("verification", ConversionEffect.Stronger, "SqlClient always validates the certificate under Encrypt=Strict; the original accepted any certificate");
                break;
            case VerificationLevel.None when policy.Encryption == EncryptionMode.Disabled:
                // Nothing to keep: the original never used TLS, so the certificate is verified whenever the server forces it.
                break;
            case VerificationLevel.None:
                parts.Add((SqlClientKeywords.TrustServerCertificate, "True"));
                break;
            case VerificationLevel.Chain:
                notes.Add("verification", ConversionEffect.Stronger, "SqlClient cannot verify the chain without the host name; it checks both, so a certificate for another name is refused where the original accepted it");
                break;
            case VerificationLevel.PinnedCertificate:
                notes.Add("pinned certificate", ConversionEffect.Weaker, "SqlClient accepts the pinned certificate whatever its validity dates (measured with SqlClient 7.1.0); the original also refused an expired pinned certificate");
                break;
        }

        // Kept even where it has no effect, so that a round trip gives back the original's settings.
        parts.AddIfSet(SqlClientKeywords.HostNameInCertificate, policy.ExpectedHostName);
        if (policy.Verification != VerificationLevel.None || strict)
        {
            parts.AddIfSet(SqlClientKeywords.ServerCertificate, policy.PinnedCertificatePath);
            if (policy.Trust is not TrustSource.SystemStore)
            {
                notes.Add("trust", ConversionEffect.Weaker, $"SqlClient trusts only the system store, not {policy.Trust.Describe()}: add that CA to the system store, and every other CA there is trusted too");
            }
        }

        if (policy.MaxProtocol is { } max && max < TlsProtocolVersion.Tls13)
        {
            notes.Add("tls versions", ConversionEffect.Different, $"SqlClient cannot cap the TLS version at {max.ToDisplay()}; it offers what the system allows");
        }

        if (policy.MinProtocol is < TlsProtocolVersion.Tls12)
        {
            notes.Add("tls versions", ConversionEffect.Stronger, "SqlClient uses the system's TLS versions (TLS 1.2 and later on current systems); the original enabled legacy TLS");
        }

        notes.NoCrl(policy, "SqlClient");
        notes.NoOcsp(policy, "SqlClient");
        notes.NoClientCertificate(policy, "SqlClient");
        return new RenderedConnection(string.Join(';', parts.Select(p => p.Key + "=" + Quote(p.Value))), null, notes.ToImmutable());
    }

    /// <summary>The ADO.NET quoting SqlClient and Npgsql share: double quotes (a doubled quote stands for one) around values that would otherwise end or be trimmed.</summary>
    internal static string Quote(string value) =>
        value.IndexOfAny([';', '\'', '"', '=']) < 0 && value.Trim() == value && value.Length > 0
            ? value
            : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
