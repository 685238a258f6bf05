using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;
using static DbTls.Dialects.Mongo.MongoOptionValues;
using static DbTls.Dialects.Mongo.MongoUriErrors;
using static DbTls.Dialects.Mongo.MongoUriOptionParser;

namespace DbTls.Dialects.Mongo;

/// <summary>The effective TLS settings from the tls/ssl and tls* options: what implies TLS, what tlsInsecure implies, and the notes on options that do nothing.</summary>
internal static class MongoTlsOptionRules
{
    internal static MongoTlsSettings BuildTlsSettings(bool isSrv, UriOptions uri, MongoClientOptions code, Dictionary<string, string> values,
        ImmutableArray<string>.Builder sources, ImmutableArray<Finding>.Builder findings)
    {
        var tlsValue = GetBool(values, "tls") ?? GetBool(values, "ssl");
        var insecure = GetBool(values, "tlsinsecure");
        var allowInvalidCertificates = insecure ?? GetBool(values, "tlsallowinvalidcertificates");
        var allowInvalidHostnames = insecure ?? GetBool(values, "tlsallowinvalidhostnames");
        var disableOcsp = insecure ?? (GetBool(values, "tlsallowinvalidcertificates") == true ? true : GetBool(values, "tlsdisableocspendpointcheck"));
        var caFile = Get(values, "tlscafile");
        var certificateKeyFile = Get(values, "tlscertificatekeyfile");
        var keyPassword = Get(values, "tlscertificatekeyfilepassword");
        var crlFile = Get(values, "tlscrlfile");
        var disableRevocation = GetBool(values, "tlsdisablecertificaterevocationcheck") ?? false;

        // PyMongo: a file option implies tls=True, and so (oddly) does an allow/disable option set to false;
        // an explicit tls=false next to any of them is a configuration error.
        var implying = new List<string>();
        if (certificateKeyFile is { Length: > 0 })
            implying.Add("tlsCertificateKeyFile");
        if (keyPassword is { Length: > 0 })
            implying.Add("tlsCertificateKeyFilePassword");
        if (caFile is { Length: > 0 })
            implying.Add("tlsCAFile");
        if (crlFile is { Length: > 0 })
            implying.Add("tlsCRLFile");
        if (GetBool(values, "tlsallowinvalidcertificates") == false || insecure == false)
            implying.Add("tlsAllowInvalidCertificates=false");
        if (GetBool(values, "tlsallowinvalidhostnames") == false)
            implying.Add("tlsAllowInvalidHostnames=false");
        if (GetBool(values, "tlsdisableocspendpointcheck") == false)
            implying.Add("tlsDisableOCSPEndpointCheck=false");

        bool enabled;
        if (tlsValue is { } explicitTls)
        {
            enabled = explicitTls;
            if (!enabled && implying.Count > 0)
            {
                throw Invalid($"TLS is switched off (tls=false) but TLS options are set: {string.Join(", ", implying)}",
                    "Set tls=true or remove the TLS options.");
            }

            if (code.Tls is null && uri.Occurrences.ContainsKey("ssl") && !uri.Occurrences.ContainsKey("tls"))
            {
                sources.Add("tls: from ssl (its alias)");
            }
        }
        else if (isSrv)
        {
            enabled = true;
            sources.Add("tls=true: default for mongodb+srv://");
        }
        else if (implying.Count > 0)
        {
            enabled = true;
            sources.Add($"tls=true: implied by {string.Join(", ", implying)} (PyMongo)");
        }
        else
        {
            enabled = false;
        }

        if (insecure is not null)
        {
            sources.Add($"tlsAllowInvalidCertificates, tlsAllowInvalidHostnames, tlsDisableOCSPEndpointCheck={(insecure.Value ? "true" : "false")}: implied by tlsInsecure");
        }

        if (enabled)
        {
            if (crlFile is not null && (allowInvalidCertificates == true))
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    "tlsCRLFile has no effect: the server certificate is not verified at all (tlsAllowInvalidCertificates or tlsInsecure).",
                    "Remove tlsAllowInvalidCertificates / tlsInsecure so that the certificate and its revocation are checked."));
            }
            else if (crlFile is not null && disableRevocation)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigWarning,
                    "tlsCRLFile is ignored because tlsDisableCertificateRevocationCheck=true.",
                    "Remove one of the two options."));
            }

            if (crlFile is not null && allowInvalidCertificates != true && !disableRevocation)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                    "tlsCRLFile replaces OCSP: PyMongo cannot use a CRL and OCSP in the same handshake, so only the CRL is checked (for the server's own certificate)."));
            }

            if (disableOcsp == true && allowInvalidCertificates != true)
            {
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                    "tlsDisableOCSPEndpointCheck=true: a stapled OCSP response is still checked, but the certificate's OCSP responder is never asked."));
            }
        }
        else if (insecure == true || allowInvalidCertificates == true || allowInvalidHostnames == true)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                "TLS verification options are set but TLS is off, so they do nothing.",
                "Add tls=true."));
        }

        return new MongoTlsSettings
        {
            Enabled = enabled,
            CAFile = caFile,
            CertificateKeyFile = certificateKeyFile,
            CertificateKeyFilePassword = keyPassword is null ? null : new Secret(keyPassword),
            CrlFile = crlFile,
            AllowInvalidCertificates = allowInvalidCertificates ?? false,
            AllowInvalidHostnames = allowInvalidHostnames ?? false,
            Insecure = insecure ?? false,
            DisableOcspEndpointCheck = disableOcsp ?? false,
            DisableCertificateRevocationCheck = disableRevocation,
        };
    }
}
