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

        var implying = ImplyingTls(values, insecure, caFile, certificateKeyFile, keyPassword, crlFile);
        var enabled = IsEnabled(tlsValue, isSrv, implying, uri, code, sources);
        if (insecure is not null)
        {
            sources.Add($"tlsAllowInvalidCertificates, tlsAllowInvalidHostnames, tlsDisableOCSPEndpointCheck={(insecure.Value ? "true" : "false")}: implied by tlsInsecure");
        }

        if (enabled)
        {
            AddVerificationNotes(crlFile, allowInvalidCertificates, disableRevocation, disableOcsp, findings);
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

    /// <summary>
    /// PyMongo: a file option implies tls=True, and so (oddly) does an allow/disable option set to false;
    /// an explicit tls=false next to any of them is a configuration error.
    /// </summary>
    private static List<string> ImplyingTls(Dictionary<string, string> values, bool? insecure, string? caFile, string? certificateKeyFile, string? keyPassword, string? crlFile)
    {
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
        return implying;
    }

    /// <summary>Whether TLS is on: tls/ssl as given, else on for mongodb+srv:// or when an option implies it.</summary>
    private static bool IsEnabled(bool? tlsValue, bool isSrv, List<string> implying, UriOptions uri, MongoClientOptions code, ImmutableArray<string>.Builder sources)
    {
        if (tlsValue is { } explicitTls)
        {
            if (!explicitTls && implying.Count > 0)
            {
                throw Invalid($"TLS is switched off (tls=false) but TLS options are set: {string.Join(", ", implying)}",
                    "Set tls=true or remove the TLS options.");
            }

            if (code.Tls is null && uri.Occurrences.ContainsKey("ssl") && !uri.Occurrences.ContainsKey("tls"))
            {
                sources.Add("tls: from ssl (its alias)");
            }

            return explicitTls;
        }

        if (isSrv)
        {
            sources.Add("tls=true: default for mongodb+srv://");
            return true;
        }

        if (implying.Count > 0)
        {
            sources.Add($"tls=true: implied by {string.Join(", ", implying)} (PyMongo)");
            return true;
        }

        return false;
    }

    /// <summary>What the CRL and OCSP options really do once TLS is on.</summary>
    private static void AddVerificationNotes(string? crlFile, bool? allowInvalidCertificates, bool disableRevocation, bool? disableOcsp, ImmutableArray<Finding>.Builder findings)
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
}
