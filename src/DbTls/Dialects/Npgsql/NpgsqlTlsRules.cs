using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Npgsql;

/// <summary>The TLS files Npgsql would use, each already resolved from the string, PG* variables and ~/.postgresql defaults.</summary>
internal sealed record NpgsqlTlsFiles(string? RootCertificate, string? RootSource, ClientCertificateSource? ClientCertificate);

/// <summary>
/// Npgsql 10's SSL modes as NpgsqlConnector.NegotiateEncryption implements them (v10.0.3), which is not libpq's:
/// <list type="bullet">
/// <item>Prefer and Require install a validation callback that accepts every certificate, even when Root Certificate
/// (or PGSSLROOTCERT, or ~/.postgresql/root.crt) is given: unlike libpq, a root file does not make Require verify.</item>
/// <item>VerifyCA and VerifyFull with a root file: .NET's X509Chain with only that file as trust (CustomRootTrust);
/// VerifyFull also rejects SslStream's name mismatch. Without a root file: the system store, as SslStream judges it.</item>
/// <item>Prefer retries without TLS only when an error comes after a successful handshake (IsSslEncrypted), never after
/// a failed handshake; Allow retries with TLS (as Require) after any failure without it.</item>
/// <item>Trust Server Certificate is obsolete since 8.0 and does nothing.</item>
/// </list>
/// </summary>
internal static class NpgsqlTlsRules
{
    // Npgsql offers ALPN "postgresql" on every handshake (SslClientAuthenticationOptions.ApplicationProtocols).
    private static readonly ImmutableArray<string> Alpn = ["postgresql"];

    public static (TlsPolicy Policy, ImmutableArray<Finding> Findings) Build(
        NpgsqlSslMode mode, bool direct, NpgsqlTlsFiles files, bool checkRevocation, bool trustServerCertificateGiven)
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var verifies = mode is NpgsqlSslMode.VerifyCA or NpgsqlSslMode.VerifyFull;
        var policy = new TlsPolicy
        {
            Encryption = mode switch
            {
                NpgsqlSslMode.Disable => EncryptionMode.Disabled,
                NpgsqlSslMode.Allow or NpgsqlSslMode.Prefer => EncryptionMode.Opportunistic,
                _ => direct ? EncryptionMode.TlsFirst : EncryptionMode.Required,
            },
            OpportunisticOrder = mode == NpgsqlSslMode.Allow ? OpportunisticOrder.PlaintextFirst : OpportunisticOrder.EncryptedFirst,
            FallBackOnHandshakeFailure = false,
            Verification = mode switch
            {
                NpgsqlSslMode.VerifyFull => VerificationLevel.ChainAndHostName,
                NpgsqlSslMode.VerifyCA => VerificationLevel.Chain,
                _ => VerificationLevel.None,
            },
            Trust = verifies && files.RootCertificate is { } root ? new TrustSource.PemFile(root) : TrustSource.System,
            HostNameRules = HostNameRules.Rfc6125,
            ChainEngine = ChainEngine.DotNet,
            ClientCertificateMode = ClientCertificateMode.Allowed,
            ClientCertificate = mode == NpgsqlSslMode.Disable ? null : files.ClientCertificate,
            SendSni = true,
            Alpn = Alpn,
        };

        switch (mode)
        {
            case NpgsqlSslMode.Disable:
                findings.Add(FindingCatalog.Create(FindingCodes.TlsNotUsed, "SSL Mode=Disable: Npgsql never encrypts; the password and all data cross the network in plaintext."));
                break;
            case NpgsqlSslMode.Allow:
                findings.Add(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                    "SSL Mode=Allow: Npgsql first connects without TLS and uses TLS only if that fails; an attacker can keep the connection in plaintext."));
                break;
            case NpgsqlSslMode.Prefer:
                findings.Add(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                    "SSL Mode=Prefer (Npgsql's default): TLS when the server agrees, plaintext when it answers the SSL request with 'N', which an attacker can force; the certificate is never verified."));
                break;
            case NpgsqlSslMode.Require:
                findings.Add(FindingCatalog.Create(FindingCodes.CertNotVerified,
                    "SSL Mode=Require: Npgsql encrypts but accepts any server certificate (since Npgsql 8.0, as libpq without a root file)."));
                break;
            case NpgsqlSslMode.VerifyCA:
                findings.Add(Note("SSL Mode=VerifyCA checks the certificate chain but not the host name: any server holding a certificate from a trusted CA is accepted.",
                    "Use SSL Mode=VerifyFull to check the host name too."));
                break;
        }

        if (!verifies && mode != NpgsqlSslMode.Disable && files.RootCertificate is { } ignored)
        {
            // The libpq habit that does not carry over: libpq verifies the chain under require when a root file exists.
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                $"{files.RootSource ?? "Root Certificate"} names {ignored}, but with SSL Mode={mode} Npgsql does not verify the server with it (libpq would verify the chain).",
                "Use SSL Mode=VerifyFull so that the root certificate is used.",
                Severity.Warning));
        }

        if (trustServerCertificateGiven)
        {
            findings.Add(Note("Trust Server Certificate is obsolete since Npgsql 8.0 and does nothing: SSL Mode alone decides whether the certificate is verified.",
                "Remove Trust Server Certificate; use SSL Mode=Require to skip verification or VerifyFull to verify."));
        }

        if (checkRevocation && verifies)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                "Check Certificate Revocation=true: .NET checks revocation online (the CRL distribution points and OCSP of each certificate); dbtls checks no revocation for this dialect, so a revoked or unreachable-CRL certificate that Npgsql refuses is not caught here.",
                null,
                Severity.Warning));
        }

        if (direct)
        {
            findings.Add(Note("SSL Negotiation=Direct: TLS starts on the first byte with ALPN \"postgresql\"; only PostgreSQL 17 and later accept it."));
        }

        return (policy, findings.ToImmutable());
    }

    /// <summary>The policy in Npgsql's own keywords, for the report's <c>policy.summary</c>.</summary>
    public static string Summary(NpgsqlSslMode mode, bool direct, NpgsqlTlsFiles files)
    {
        var verifies = mode is NpgsqlSslMode.VerifyCA or NpgsqlSslMode.VerifyFull;
        var summary = $"SSL Mode={mode}";
        if (direct)
        {
            summary += ";SSL Negotiation=Direct";
        }

        if (verifies)
        {
            summary += files.RootCertificate is { } root ? $";Root Certificate={root}" : " (system trust store)";
        }

        return summary;
    }

    private static Finding Note(string message, string? remedy = null) =>
        FindingCatalog.Create(FindingCodes.ConfigNote, message, remedy);
}
