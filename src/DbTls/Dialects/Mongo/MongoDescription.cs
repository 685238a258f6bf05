using System.Collections.Immutable;
using DbTls.Conversion;
using DbTls.Policy;

namespace DbTls.Dialects.Mongo;

/// <summary>MongoDB URIs read offline for <c>explain</c> (no SRV lookup), and a policy written back as a URI for <c>convert</c>.</summary>
internal sealed partial class MongoDialect : IDescribableDialect
{
    private const string SrvKey = "srv";

    public ConnectionProtocol Protocol => ConnectionProtocol.MongoDb;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment) =>
        DescriptionOf(Name, Parse(connectionString, environment));

    /// <summary>The description of a parsed URI; PyMongo's (URI plus keyword arguments) is the same once they are merged.</summary>
    internal static ConnectionDescription DescriptionOf(string dialect, MongoConnectionSpec spec)
    {
        var hosts = spec.IsSrv && spec.SrvHostName is { } srv ? [srv] : spec.Hosts.Select(h => h.ToString()).ToImmutableArray();
        var kept = spec.Options.Where(o => !IsTlsOption(o.Key) && o.Value != Redaction.Mask);
        return new ConnectionDescription
        {
            Dialect = dialect,
            Protocol = ConnectionProtocol.MongoDb,
            RedactedConnectionString = spec.RedactedUri,
            Hosts = hosts,
            Port = spec.Hosts.FirstOrDefault()?.Port ?? MongoHost.DefaultPort,
            User = spec.User,
            Database = spec.Database,
            HasPassword = spec.Password is not null,
            Password = spec.Password,
            Tls = spec.Tls,
            PolicySummary = spec.TlsSettings.Enabled ? "tls=true" : "tls=false",
            WrittenKeywords = [.. spec.Options.Keys],
            Extra = ImmutableDictionary.CreateRange(StringComparer.Ordinal, kept).SetItem(SrvKey, spec.IsSrv ? "true" : "false"),
            Sources = spec.Sources,
            Findings = spec.Findings,
        };
    }

    public RenderedConnection Render(ConnectionDescription description) => RenderUri(description, forAnyDriver: true);

    /// <param name="description">The connection to write.</param>
    /// <param name="forAnyDriver">
    /// A plain MongoDB URI may be read by any driver, so the options MongoDB.Driver (.NET) ignores in a URI are named;
    /// PyMongo's rendering (the same URI for PyMongo alone) leaves those notes out.
    /// </param>
    internal RenderedConnection RenderUri(ConnectionDescription description, bool forAnyDriver)
    {
        var notes = new RenderNotes();
        var policy = description.Tls;
        var options = new List<(string Key, string Value)>();
        foreach (var (key, value) in description.Extra.Where(e => e.Key != SrvKey).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            options.Add((key, value));
        }

        options.Add(("tls", policy.Encryption == EncryptionMode.Disabled ? "false" : "true"));
        if (policy.Encryption != EncryptionMode.Disabled)
        {
            // tlsInsecure rather than tlsAllowInvalidCertificates: every driver reads it, while MongoDB.Driver (.NET)
            // ignores tlsAllowInvalidCertificates in a URI (measured in ConvertPeerMongoTests).
            if (policy.Verification == VerificationLevel.None)
            {
                options.Add(("tlsInsecure", "true"));
            }
            else if (policy.Verification == VerificationLevel.Chain)
            {
                options.Add(("tlsAllowInvalidHostnames", "true"));
                if (forAnyDriver)
                {
                    notes.Add("driver support", ConversionEffect.Different, DotNetDriverIgnores("tlsAllowInvalidHostnames", "it checks the host name unless the application's certificate validation callback allows otherwise"));
                }
            }

            switch (policy.Trust)
            {
                case TrustSource.PemFile file:
                    options.Add(("tlsCAFile", file.Path));
                    if (forAnyDriver)
                    {
                        notes.Add("driver support", ConversionEffect.Different, DotNetDriverIgnores("tlsCAFile", "it trusts the process's certificate store: add the CA there"));
                    }

                    break;
                case TrustSource.SystemStore:
                    break;
                default:
                    notes.Add("tlsCAFile", ConversionEffect.ManualStep, $"PyMongo reads trusted roots from one PEM file: put the certificates of {policy.Trust.Describe()} into one");
                    break;
            }

            foreach (var crl in policy.Revocation.CrlFiles.Take(1))
            {
                options.Add(("tlsCRLFile", crl));
            }

            if (policy.Verification != VerificationLevel.None && !policy.Revocation.Enabled && !policy.Revocation.Ocsp.Enabled)
            {
                options.Add(("tlsDisableCertificateRevocationCheck", "true"));
            }
            else if (policy.Revocation.Ocsp.Enabled && !policy.Revocation.Ocsp.QueryResponder)
            {
                options.Add(("tlsDisableOCSPEndpointCheck", "true"));
            }

            if (policy.ClientCertificate is { } client)
            {
                options.Add(("tlsCertificateKeyFile", client.CertificatePath));
            }

            notes.NoPin(policy, "PyMongo", "tlsCAFile with the issuing CA");
        }

        var userInfo = description.User is null ? ""
            : Uri.EscapeDataString(description.User) + (description.Password is { } password ? ":" + Uri.EscapeDataString(password.Reveal()) : description.HasPassword ? ":" + RenderNotes.PasswordPlaceholder : "") + "@";
        notes.Password(description, $"replace {RenderNotes.PasswordPlaceholder} with it (percent-encoded)");
        var scheme = description.Extra.TryGetValue(SrvKey, out var srv) && srv == "true" ? MongoConnectionString.SrvScheme : MongoConnectionString.Scheme;
        var query = string.Join('&', options.Select(o => o.Key + "=" + Uri.EscapeDataString(o.Value)));
        var text = scheme + userInfo + string.Join(',', description.Hosts) + "/" + (description.Database is null ? "" : Uri.EscapeDataString(description.Database)) + "?" + query;
        return new RenderedConnection(text, null, notes.ToImmutable());
    }

    private static string DotNetDriverIgnores(string option, string consequence) =>
        $"MongoDB.Driver (.NET) does not read {option} from a URI ({consequence}; or set it in MongoClientSettings.SslSettings); PyMongo, Node and the other specification drivers do";

    private static bool IsTlsOption(string key) => key.StartsWith("tls", StringComparison.Ordinal) || key.StartsWith("ssl", StringComparison.Ordinal);
}
