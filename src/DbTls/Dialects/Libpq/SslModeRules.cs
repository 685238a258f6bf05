using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Libpq;

/// <summary>
/// Turns libpq's sslmode and friends into a <see cref="TlsPolicy"/>. The key libpq fact
/// (fe-secure-openssl.c, initialize_SSL): whenever a root certificate is loaded, libpq sets
/// SSL_VERIFY_PEER for every TLS connection, so allow, prefer and require verify the chain too;
/// verify-full adds the host-name check after the handshake.
/// </summary>
internal static class SslModeRules
{
    private static readonly ImmutableArray<string> Alpn = ["postgresql"];

    public static (TlsPolicy Policy, ImmutableArray<Finding> Findings) Build(ValidatedModes modes, SslFileSettings? files)
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var policy = new TlsPolicy
        {
            Encryption = EncryptionMode.Disabled,
            Verification = VerificationLevel.None,
            HostNameRules = HostNameRules.Libpq,
            ChainEngine = ChainEngine.OpenSsl,
            Trust = files?.Trust ?? TrustSource.System,
            Revocation = files?.Revocation ?? RevocationPolicy.None,
            ClientCertificateMode = modes.CertificateMode,
            ClientCertificate = files?.ClientCertificate,
            MinProtocol = modes.MinProtocol,
            MaxProtocol = modes.MaxProtocol,
            SendSni = modes.SendSni,

            // libpq 17 and later offer ALPN "postgresql" on both the SSLRequest and the direct path.
            Alpn = Alpn,
        };

        var mode = modes.SslMode;
        if (mode == "disable")
        {
            findings.Add(FindingCatalog.Create(FindingCodes.TlsNotUsed, "sslmode=disable: the connection is never encrypted; the password and all data cross the network in plaintext."));
            return (policy, findings.ToImmutable());
        }

        if (files?.LocalFailure is { } failure)
        {
            return LocalFailure(mode, failure, policy, files, findings);
        }

        var trusted = files?.Trust is not null;
        policy = policy with
        {
            Encryption = mode switch
            {
                "allow" or "prefer" => EncryptionMode.Opportunistic,
                _ => modes.Negotiation == PostgresNegotiation.Direct ? EncryptionMode.TlsFirst : EncryptionMode.Required,
            },
            OpportunisticOrder = mode == "allow" ? OpportunisticOrder.PlaintextFirst : OpportunisticOrder.EncryptedFirst,

            // prefer reconnects without TLS when the handshake or the verification fails; allow does not.
            FallBackOnHandshakeFailure = mode == "prefer",
            Verification = !trusted ? VerificationLevel.None
                : mode == "verify-full" ? VerificationLevel.ChainAndHostName
                : VerificationLevel.Chain,
        };

        switch (mode)
        {
            case "allow":
                findings.Add(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                    "sslmode=allow: libpq first tries without TLS and uses TLS only if the server insists; an attacker can keep the connection in plaintext."));
                break;
            case "prefer":
                findings.Add(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                    "sslmode=prefer (the default): libpq tries TLS but silently falls back to plaintext when the server refuses it or the handshake fails, which an attacker can force."));
                break;
            case "require" when !trusted:
                findings.Add(FindingCatalog.Create(FindingCodes.CertNotVerified,
                    $"sslmode=require without a root certificate file ({Describe(files)}): the connection is encrypted, but the server certificate is not verified."));
                break;
            case "verify-ca":
                findings.Add(Note("sslmode=verify-ca checks the certificate chain but not the host name: any server holding a certificate from a trusted CA is accepted.",
                    "Use sslmode=verify-full to check the host name too."));
                break;
        }

        if (trusted && mode is "allow" or "prefer" or "require" && files!.Trust is TrustSource.PemFile root)
        {
            var where = files.RootIsDefaultFile ? $"the default root certificate file {root.Path} exists" : $"sslrootcert={root.Path}";
            findings.Add(Note(
                $"sslmode={mode} verifies the server's certificate chain because {where}: libpq loads it and sets SSL_VERIFY_PEER on every TLS connection, so sslmode={mode} behaves like verify-ca (the host name is not checked)."
                    + (mode == "prefer" ? " If verification fails, prefer still retries without TLS." : string.Empty),
                "Use sslmode=verify-full to check the host name too."));
        }

        if (!trusted && files is { RootIsDefaultFile: false, RootPath: { } missing })
        {
            // A typo in sslrootcert does not stop libpq below verify-ca: it just verifies nothing.
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                $"sslrootcert \"{missing}\" does not exist; with sslmode={mode} libpq then silently skips certificate verification instead of failing.",
                "Fix the sslrootcert path, and use sslmode=verify-full so that a missing root file is an error.",
                Severity.Warning));
        }

        if (modes.Negotiation == PostgresNegotiation.Direct)
        {
            findings.Add(Note("sslnegotiation=direct: TLS starts on the first byte with ALPN \"postgresql\"; only PostgreSQL 17 and later accept it."));
        }

        findings.AddRange(files?.Notes ?? []);
        return (policy, findings.ToImmutable());
    }

    /// <summary>
    /// libpq fails its TLS set-up before the handshake. With require and stronger that ends the
    /// connection; prefer silently retries without TLS, and allow only used TLS as a retry anyway.
    /// </summary>
    private static (TlsPolicy, ImmutableArray<Finding>) LocalFailure(string mode, string failure, TlsPolicy policy, SslFileSettings files,
        ImmutableArray<Finding>.Builder findings)
    {
        if (mode is not ("allow" or "prefer"))
        {
            throw LibpqErrors.Invalid(failure, "Fix the certificate or key file named in the message (path, contents, permissions).");
        }

        findings.Add(FindingCatalog.Create(FindingCodes.TlsNotUsed, mode == "prefer"
            ? $"sslmode=prefer: libpq cannot set up TLS ({failure}), so it silently connects without TLS."
            : $"sslmode=allow: libpq connects without TLS; if the server insists on TLS the connection fails: {failure}."));
        findings.AddRange(files.Notes);
        return (policy with { Encryption = EncryptionMode.Disabled, Verification = VerificationLevel.None, ClientCertificate = null }, findings.ToImmutable());
    }

    private static string Describe(SslFileSettings? files) =>
        files?.RootPath is { } path ? $"looked for {path}" : "no home directory to look in";

    private static Finding Note(string message, string? remedy = null) =>
        FindingCatalog.Create(FindingCodes.ConfigNote, message, remedy);
}
