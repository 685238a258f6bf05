using System.Collections.Immutable;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Explain;

/// <summary>
/// The effective policy in plain words, topic by topic, as the driver documents it and as dbtls measured it (the
/// statements read the same <see cref="TlsPolicy"/> the check enforces, so they cannot drift from it).
/// </summary>
public static class PolicyExplainer
{
    public static ImmutableArray<ExplainStatement> Explain(ConnectionDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var driver = DriverNames.Of(description.Dialect);
        var policy = description.Tls;
        var statements = ImmutableArray.CreateBuilder<ExplainStatement>();
        void Say(string topic, string text) => statements.Add(new ExplainStatement(topic, text));

        Say("encryption", Encryption(description, driver));
        if (description.ServerAnswers is not null)
        {
            statements.AddRange(TdsAnswerExplainer.Explain(description, driver));
        }

        if (policy.Encryption != EncryptionMode.Disabled)
        {
            Say("verification", Verification(policy, driver));
            if (policy.Verification == VerificationLevel.ChainAndHostName)
            {
                Say("host name", HostName(description, driver));
            }

            if (policy.Verification is VerificationLevel.Chain or VerificationLevel.ChainAndHostName)
            {
                Say("trust", $"trusted roots: {policy.Trust.Describe()}; the chain is built the way {ChainEngineText(policy.ChainEngine)} builds it");
                Say("revocation", Revocation(policy.Revocation));
            }

            if (policy.PinnedCertificatePath is { } pin)
            {
                Say("pin", $"the server's certificate must be byte for byte the one in {pin}");
            }

            Say("tls versions", Versions(policy));
            Say("client certificate", ClientCertificate(policy));
            Say("sni", policy.SendSni ? "the host name is sent in SNI (never an IP address)" : $"{driver} sends no SNI");
            Say("alpn", policy.Alpn.IsDefaultOrEmpty ? "no ALPN protocol is offered" : "ALPN offers " + string.Join(", ", policy.Alpn));
        }

        foreach (var source in description.Sources)
        {
            Say("source", source);
        }

        return statements.ToImmutable();
    }

    private static string Encryption(ConnectionDescription description, string driver)
    {
        var policy = description.Tls;
        return policy.Encryption switch
        {
            EncryptionMode.Disabled => "never encrypted: the login (password included) and all data travel in plaintext",
            EncryptionMode.Opportunistic when policy.OpportunisticOrder == OpportunisticOrder.PlaintextFirst =>
                $"{driver} tries plaintext first and uses TLS only when the server insists; an attacker can keep the connection in plaintext",
            EncryptionMode.Opportunistic when policy.FallBackOnHandshakeFailure =>
                $"{driver} tries TLS and continues in plaintext when the server refuses it, and also when the TLS handshake or the certificate check fails; an attacker can force plaintext",
            EncryptionMode.Opportunistic when description.Protocol == ConnectionProtocol.Tds =>
                $"encryption is requested, not required: what happens depends on the server's answer (below)",
            EncryptionMode.Opportunistic => $"{driver} uses TLS when the server agrees and plaintext otherwise; an attacker can force plaintext",
            EncryptionMode.Required => description.Protocol == ConnectionProtocol.Tds
                ? "encryption is required: TLS is set up after the PRELOGIN exchange and a server that does not support it is refused"
                : "TLS is required: it is negotiated in the protocol and a refusal ends the connection before any credential is sent",
            _ => description.Protocol switch
            {
                ConnectionProtocol.Tds => "TDS 8.0 strict: TLS starts on the first byte, PRELOGIN and login travel inside it; no plaintext fallback exists",
                ConnectionProtocol.MongoDb => "TLS starts on the first byte; MongoDB has no plaintext fallback",
                _ => "direct TLS: TLS starts on the first byte (PostgreSQL 17 and later); no plaintext fallback exists",
            },
        };
    }

    private static string Verification(TlsPolicy policy, string driver) => policy.Verification switch
    {
        VerificationLevel.None => $"{driver} accepts any server certificate: the traffic is encrypted, but anyone in the path can impersonate the server",
        VerificationLevel.Chain => "the certificate chain must lead to a trusted root; the host name is NOT checked, so any server with a certificate from that CA is accepted",
        VerificationLevel.ChainAndHostName => "the certificate chain must lead to a trusted root and the certificate must name the host",
        _ => "only the pinned certificate decides (byte for byte), plus the validity dates of the certificates the server sends; chain and host name are not checked",
    };

    private static string HostName(ConnectionDescription description, string driver)
    {
        var policy = description.Tls;
        var name = policy.ExpectedHostName ?? (description.Hosts.Length > 0 ? description.Hosts[0] : "the host");
        var rules = policy.HostNameRules switch
        {
            HostNameRules.Libpq => "libpq's rules: a single '*' left-most label wildcard; the CN only when the certificate has no SAN of the host's type",
            HostNameRules.SqlClient => "SqlClient's rules: SslStream's check of the Data Source host first, then HostNameInCertificate (RFC 6125 as .NET applies it)",
            HostNameRules.Jdbc => "the JDBC driver's rules: the first CN first, then the DNS SANs; partial wildcards in the first label",
            HostNameRules.FreeTds => "FreeTDS (OpenSSL build) rules: SANs of the name's type, then always the last CN; wildcard certificates never match",
            HostNameRules.FreeTdsGnuTls => "FreeTDS (GnuTLS build) rules: RFC 6125 as GnuTLS applies it",
            HostNameRules.NodeTls => "Node's checkServerIdentity: an IP only against IP SANs; DNS SANs, the CN only without one; partial first-label wildcards",
            _ => "RFC 6125 rules as .NET applies them (SANs; the CN only without a SAN extension)",
        };
        return $"the certificate must name \"{name}\" under {rules}";
    }

    private static string ChainEngineText(ChainEngine engine) => engine switch
    {
        ChainEngine.OpenSsl => "OpenSSL",
        ChainEngine.JavaPkix => "Java's PKIX",
        ChainEngine.GnuTls => "GnuTLS",
        _ => ".NET",
    };

    private static string Revocation(RevocationPolicy revocation)
    {
        var parts = new List<string>();
        if (revocation.Enabled)
        {
            var scope = revocation.Scope switch
            {
                RevocationScope.FullChain => "every certificate of the chain needs a CRL",
                RevocationScope.LeafOnly => "only the server's certificate is checked",
                _ => "a certificate is checked when a CRL from its issuer was given",
            };
            parts.Add($"CRLs from {string.Join(", ", revocation.CrlFiles.Concat(revocation.CrlDirectories))} ({scope})");
        }

        if (revocation.Ocsp.Enabled)
        {
            parts.Add(revocation.Ocsp.QueryResponder
                ? "OCSP: the stapled response is checked and the responder asked (soft fail)"
                : "OCSP: the stapled response is checked; the responder is not asked");
        }

        return parts.Count == 0 ? "revocation is not checked" : string.Join("; ", parts);
    }

    private static string Versions(TlsPolicy policy) => (policy.MinProtocol, policy.MaxProtocol) switch
    {
        (null, null) => "the TLS library's defaults",
        (var min, null) => $"{min!.Value.ToDisplay()} and later",
        (null, var max) => $"up to {max!.Value.ToDisplay()}",
        var (min, max) => min == max ? $"{min!.Value.ToDisplay()} only" : $"{min!.Value.ToDisplay()} to {max!.Value.ToDisplay()}",
    };

    private static string ClientCertificate(TlsPolicy policy) => (policy.ClientCertificateMode, policy.ClientCertificate) switch
    {
        (ClientCertificateMode.Disabled, _) => "no client certificate is sent",
        (ClientCertificateMode.Required, { } client) => $"client certificate {client.CertificatePath} is sent, and the server must ask for it",
        (ClientCertificateMode.Required, null) => "a client certificate is required but none is configured",
        (_, { } client) => $"client certificate {client.CertificatePath} is sent when the server asks",
        _ => "no client certificate is configured",
    };
}
