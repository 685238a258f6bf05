using System.Globalization;
using System.Text;
using DbTls.Conversion;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects.FreeTds;

/// <summary>A freetds.conf entry read offline for <c>explain</c>, and a TDS policy written back as a freetds.conf section for <c>convert</c>.</summary>
internal sealed partial class FreeTdsDialect : IDescribableDialect
{
    public ConnectionProtocol Protocol => ConnectionProtocol.Tds;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment) =>
        TdsDescription.Of(
            TdsDialectRun.ApplyOverrides(FreeTdsConnection.Parse(connectionString, environment.User, EnvironmentOf(environment)), environment),
            []);

    public RenderedConnection Render(ConnectionDescription description)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var host = description.Hosts[0];
        var section = SectionName(host);
        var text = new StringBuilder().Append('[').Append(section).Append("]\n");
        void Line(string option, string value) => text.Append('\t').Append(option).Append(" = ").Append(value).Append('\n');

        Line("host", host);
        Line("port", description.Port.ToString(CultureInfo.InvariantCulture));
        var strict = policy.Encryption == EncryptionMode.TlsFirst;
        Line("tds version", strict ? "8.0" : "7.4");
        if (strict)
        {
            // Measured: Debian 12's FreeTDS 1.3.17 refuses such a section before it connects (tsql: Error 20214).
            notes.Add("driver release", ConversionEffect.Different, "encryption = strict and tds version = 8.0 need FreeTDS 1.5 or later; older FreeTDS (e.g. Debian 12's 1.3.17) refuses the section before connecting");
        }

        Line("encryption", policy.Encryption switch
        {
            EncryptionMode.Disabled => "off",
            EncryptionMode.Opportunistic => "request",
            EncryptionMode.Required => "require",
            _ => "strict",
        });
        if (description.Database is { Length: > 0 } database)
        {
            Line("database", database);
        }

        if (policy.Verification != VerificationLevel.None && policy.Encryption != EncryptionMode.Disabled)
        {
            RenderTrust(policy, Line, notes);
        }
        else if (strict)
        {
            notes.Add("verification", ConversionEffect.Stronger, "FreeTDS verifies the certificate against the system store under encryption = strict (ca file = system is implied); the original accepted any certificate");
        }

        if (policy.MinProtocol is TlsProtocolVersion.Tls10)
        {
            Line("enable tls v1", "yes");
        }
        else if (policy.MinProtocol is TlsProtocolVersion.Tls11)
        {
            Line("enable tls v1.1", "yes");
        }

        if (policy.MaxProtocol is { } max && max < TlsProtocolVersion.Tls13)
        {
            notes.Add("tls versions", ConversionEffect.Different, $"FreeTDS cannot cap the TLS version at {max.ToDisplay()}; it offers up to what its TLS library supports");
        }

        if (description.User is not null || description.HasPassword)
        {
            notes.Add("user", ConversionEffect.ManualStep, "freetds.conf holds no credentials: give the user to tsql -U (dbtls: --user) and the password at its prompt (dbtls: DBTLS_PASSWORD)");
        }

        notes.NoOcsp(policy, "FreeTDS");
        notes.NoClientCertificate(policy, "FreeTDS");
        return new RenderedConnection(text.ToString(), FreeTdsConnection.Prefix + section, notes.ToImmutable());
    }

    private static void RenderTrust(TlsPolicy policy, Action<string, string> line, RenderNotes notes)
    {
        switch (policy.Trust)
        {
            case TrustSource.SystemStore:
                line("ca file", "system");
                break;
            case TrustSource.PemFile file:
                line("ca file", file.Path);
                break;
            case TrustSource.PemDirectory directory:
                line("ca file", directory.Path + "/ca.pem");
                notes.Add("ca file", ConversionEffect.ManualStep, $"FreeTDS reads trusted roots from one file: concatenate the PEM files of {directory.Path} into {directory.Path}/ca.pem");
                break;
            case TrustSource.Pkcs12Store store:
                line("ca file", store.Path + ".pem");
                notes.Add("ca file", ConversionEffect.ManualStep, $"FreeTDS reads PEM, not PKCS#12: export the trusted certificates with 'openssl pkcs12 -in {store.Path} -nokeys -out {store.Path}.pem'");
                break;
        }

        if (policy.Verification == VerificationLevel.Chain)
        {
            line("check certificate hostname", "no");
        }

        if (policy.ExpectedHostName is { } expected)
        {
            line("certificate hostname", expected);
            notes.Add("certificate hostname", ConversionEffect.Different, "FreeTDS reads certificate hostname from version 1.5 on; older versions check host instead");
        }

        if (policy.Verification == VerificationLevel.PinnedCertificate || policy.PinnedCertificatePath is not null)
        {
            notes.NoPin(policy, "FreeTDS", "ca file with check certificate hostname");
        }

        var crls = policy.Revocation.CrlFiles;
        if (crls.Length > 0)
        {
            line("crl file", crls[0]);
        }

        if (crls.Length > 1 || policy.Revocation.CrlDirectories.Length > 0)
        {
            notes.Add("crl file", ConversionEffect.ManualStep, "FreeTDS takes one CRL file: concatenate the other CRL files and directories into it");
        }
    }

    /// <summary>A section name FreeTDS reads back: the host with characters other than letters, digits, '.', '-' and '_' replaced.</summary>
    private static string SectionName(string host) =>
        string.Concat(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
