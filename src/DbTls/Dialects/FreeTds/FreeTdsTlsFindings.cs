using System.Collections.Immutable;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;

namespace DbTls.Dialects.FreeTds;

/// <summary>What the encryption setting, 'ca file' and host-name checking leave unprotected, and the one-line policy summary.</summary>
internal static class FreeTdsTlsFindings
{
    /// <summary>The remedy for both opportunistic settings: encryption that is required and a server that is verified.</summary>
    private const string RequireVerifiedTls = "Set encryption = require (or strict on SQL Server 2022 and later) and ca file = <issuing CA or system>.";

    internal static void AddTlsFindings(FreeTdsEncryption encryption, FreeTdsSettings settings, string? caFile, bool checksHostName, ImmutableArray<Finding>.Builder findings)
    {
        switch (encryption)
        {
            case FreeTdsEncryption.Off:
                findings.Add(FindingCatalog.Create(
                    FindingCodes.TlsOpportunistic,
                    "encryption = off: FreeTDS tells the server it cannot encrypt (ENCRYPT_NOT_SUP), so the login, password included, goes in plaintext unless the server forces encryption",
                    RequireVerifiedTls));
                break;
            case FreeTdsEncryption.Request:
                findings.Add(FindingCatalog.Create(
                    FindingCodes.TlsOpportunistic,
                    "encryption = request: FreeTDS sends ENCRYPT_OFF; a server that answers ENCRYPT_OFF gets only the login encrypted, and an attacker who answers ENCRYPT_NOT_SUP gets the login, password included, in plaintext",
                    RequireVerifiedTls));
                break;
            case FreeTdsEncryption.Require:
                findings.Add(TdsDialectRules.Note("encryption = require still accepts a server answer of ENCRYPT_OFF and then encrypts only the login (FreeTDS fails only when the server answers ENCRYPT_NOT_SUP)"));
                break;
        }

        if (caFile is null)
        {
            findings.Add(FindingCatalog.Create(
                FindingCodes.CertNotVerified,
                "ca file is not set: FreeTDS accepts any server certificate, so anyone in the path can impersonate the server",
                "Set ca file = <file with the issuing CA> (or ca file = system for publicly trusted servers) and keep check certificate hostname = yes."));
            if (!string.IsNullOrEmpty(settings.CrlFile))
            {
                findings.Add(TdsDialectRules.Note("crl file is ignored because ca file is not set (FreeTDS loads CRLs only together with a CA file)"));
            }

            if (!string.IsNullOrEmpty(settings.CertificateHostname))
            {
                findings.Add(TdsDialectRules.Note("certificate hostname is ignored because ca file is not set"));
            }
        }
        else if (!checksHostName)
        {
            findings.Add(FindingCatalog.Create(
                FindingCodes.CertNotVerified,
                "check certificate hostname = no: FreeTDS accepts any certificate the CA issued, for any host",
                "Set check certificate hostname = yes (and certificate hostname = <name in the certificate> when it differs from host)."));
        }

        if (settings.EnableTlsV1 || settings.EnableTlsV11)
        {
            findings.Add(FindingCatalog.Create(
                FindingCodes.TlsWeakProtocol,
                settings.EnableTlsV1 ? "enable tls v1 = yes: FreeTDS allows TLS 1.0 (and 1.1)" : "enable tls v1.1 = yes: FreeTDS allows TLS 1.1",
                "Remove enable tls v1 / enable tls v1.1 and enable TLS 1.2 on the server."));
        }
    }

    internal static string Summary(FreeTdsEncryption encryption, FreeTdsSettings settings, string? caFile, TdsVersion version)
    {
        var text = new StringBuilder()
            .Append("encryption = ").Append(encryption.ToString().ToLowerInvariant())
            .Append("; tds version = ").Append(version == TdsVersion.Tds80 ? "8.0" : settings.TdsVersion?.Text ?? "auto")
            .Append("; ca file = ").Append(caFile ?? "(not set)");
        if (caFile is not null)
        {
            text.Append("; check certificate hostname = ").Append(settings.CheckCertificateHostname ? "yes" : "no");
            if (!string.IsNullOrEmpty(settings.CertificateHostname))
            {
                text.Append("; certificate hostname = ").Append(settings.CertificateHostname);
            }

            if (!string.IsNullOrEmpty(settings.CrlFile))
            {
                text.Append("; crl file = ").Append(settings.CrlFile);
            }
        }

        if (settings.EnableTlsV1)
        {
            text.Append("; enable tls v1 = yes");
        }

        if (settings.EnableTlsV11)
        {
            text.Append("; enable tls v1.1 = yes");
        }

        return text.ToString();
    }
}
