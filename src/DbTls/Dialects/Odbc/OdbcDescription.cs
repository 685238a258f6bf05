using System.Globalization;
using DbTls.Conversion;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects.Odbc;

/// <summary>ODBC Driver 17/18 strings read offline for <c>explain</c>, and a TDS policy written back for ODBC Driver 18 for <c>convert</c>.</summary>
internal sealed partial class OdbcDialect : IDescribableDialect
{
    private const string Driver18 = "{ODBC Driver 18 for SQL Server}";

    public ConnectionProtocol Protocol => ConnectionProtocol.Tds;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment) =>
        TdsDescription.Of(
            TdsDialectRun.ApplyOverrides(OdbcConnectionString.Parse(connectionString), environment),
            OdbcAttributes.Parse(connectionString).Select(a => a.Key));

    public RenderedConnection Render(ConnectionDescription description)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var parts = new List<(string Key, string Value)>
        {
            ("Server", "tcp:" + description.Hosts[0] + "," + description.Port.ToString(CultureInfo.InvariantCulture)),
        };
        parts.AddIfSet("Database", description.Database);
        parts.AddIfSet("UID", description.User);
        if (description.HasPassword)
        {
            parts.Add(("PWD", RenderNotes.PasswordText(description)));
            notes.Password(description, $"replace {RenderNotes.PasswordPlaceholder} with it (in braces when it holds ';' or '}}')");
        }

        var strict = policy.Encryption == EncryptionMode.TlsFirst;
        parts.Add(("Encrypt", policy.Encryption switch
        {
            EncryptionMode.Disabled or EncryptionMode.Opportunistic => "no",
            EncryptionMode.Required => "yes",
            _ => "strict",
        }));
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            notes.Add("encryption", ConversionEffect.Stronger, "the ODBC driver cannot switch encryption off: Encrypt=no still encrypts the login when the server offers TLS");
        }

        RenderVerification(policy, strict, parts, notes);
        notes.NoVersionSetting(policy, "The ODBC driver");
        notes.NoCrl(policy, "The ODBC driver");
        notes.NoOcsp(policy, "The ODBC driver");
        notes.NoClientCertificate(policy, "The ODBC driver");
        return new RenderedConnection("Driver=" + Driver18 + ";" + string.Join(';', parts.Select(p => p.Key + "=" + Braced(p.Value))), null, notes.ToImmutable());
    }

    private static void RenderVerification(TlsPolicy policy, bool strict, List<(string Key, string Value)> parts, RenderNotes notes)
    {
        // Kept even where it has no effect, so that a round trip gives back the original's settings.
        parts.AddIfSet("HostNameInCertificate", policy.ExpectedHostName);
        switch (policy.Verification)
        {
            case VerificationLevel.None when strict:
                notes.Add("verification", ConversionEffect.Stronger, "the ODBC driver always validates the certificate under Encrypt=strict; the original accepted any certificate");
                break;
            case VerificationLevel.None when policy.Encryption == EncryptionMode.Disabled:
                // Nothing to keep: the original never used TLS, so the certificate is verified whenever the server forces it.
                return;
            case VerificationLevel.None:
                parts.Add(("TrustServerCertificate", "yes"));
                return;
            case VerificationLevel.Chain:
                notes.Add("verification", ConversionEffect.Stronger, "the ODBC driver cannot verify the chain without the host name; it checks both, so a certificate for another name is refused where the original accepted it");
                break;
        }

        if (policy.PinnedCertificatePath is { } pin && strict)
        {
            parts.Add(("ServerCertificate", pin));
        }
        else
        {
            notes.NoPin(policy, "The ODBC driver without Encrypt=strict", "chain and host-name verification against the system store");
        }

        if (policy.Trust is not TrustSource.SystemStore)
        {
            notes.Add("trust", ConversionEffect.Weaker, $"the ODBC driver trusts only the system store (OpenSSL's), not {policy.Trust.Describe()}: add that CA to the system store, and every other CA there is trusted too");
        }
    }

    /// <summary>ODBC's quoting: a value holding ';', '{' or '}' or edge spaces goes in braces, with '}' doubled.</summary>
    private static string Braced(string value) =>
        value.IndexOfAny([';', '{', '}']) < 0 && value.Trim() == value
            ? value
            : "{" + value.Replace("}", "}}", StringComparison.Ordinal) + "}";
}
