using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Pgjdbc;

/// <summary>
/// pgjdbc 42.x's TLS settings as a <see cref="TlsPolicy"/> (SslMode.of, ConnectionFactoryImpl.enableSSL, LibPQFactory,
/// MakeSSL). Where it differs from libpq:
/// <list type="bullet">
/// <item>no sslmode: <c>ssl=true</c> (or a bare <c>ssl</c>) means verify-full, anything else (also <c>ssl=false</c>) prefer;</item>
/// <item>below verify-ca nothing is verified even when <c>~/.postgresql/root.crt</c> exists (NonValidatingTM);</item>
/// <item>verify-ca/verify-full never fall back to the system roots: a missing root file fails the connection;</item>
/// <item>prefer falls back to plaintext only when the server rejects the login (SQLSTATE 28000), not when the TLS
/// handshake fails; allow retries with TLS on the same rejection;</item>
/// <item>the sslfactory decides the chain check and sslmode alone decides the host-name check, so
/// <c>NonValidatingFactory</c> with verify-full still checks the host name;</item>
/// <item>Java's TLS engine: a PKIX path to any certificate of the root file (partial chains are fine), no
/// revocation, SNI only for host names with a dot (JSSE), no ALPN.</item>
/// </list>
/// Java's PKIX builder backtracks across paths like .NET's X509Chain, unlike OpenSSL's first-match rule, so
/// <see cref="ChainEngine.JavaPkix"/> (decided by .NET's engine) is the honest choice.
/// </summary>
internal static class PgjdbcSslRules
{
    public const string LibPqFactory = "org.postgresql.ssl.LibPQFactory";
    public const string NonValidatingFactory = "org.postgresql.ssl.NonValidatingFactory";
    public const string DefaultJavaFactory = "org.postgresql.ssl.DefaultJavaSSLFactory";

    private static readonly string[] Modes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    /// <summary>The sslmode in effect and, when the ssl property decided it, the display form saying so.</summary>
    public static (string Mode, string Shown) Mode(PgjdbcUrl url)
    {
        if (url.Get(PgjdbcProperties.SslMode) is { } given)
        {
            var mode = Modes.FirstOrDefault(m => m.Equals(given, StringComparison.OrdinalIgnoreCase))
                ?? throw new DbTlsException(FindingCodes.ConfigInvalid, $"Invalid sslmode value: {given}", $"Use one of: {string.Join(", ", Modes)}.");
            return (mode, mode);
        }

        var ssl = url.Get(PgjdbcProperties.Ssl);
        return ssl is not null && (ssl.Length == 0 || ssl.Equals("true", StringComparison.OrdinalIgnoreCase))
            ? ("verify-full", "verify-full (implied by ssl=true)")
            : ("prefer", ssl is null ? "prefer" : $"prefer (ssl={ssl} sets nothing)");
    }

    public static (TlsPolicy Policy, ImmutableArray<Finding> Findings) Build(string mode, string host, PgjdbcUrl url, PgjdbcFiles files)
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var policy = new TlsPolicy
        {
            Encryption = EncryptionMode.Disabled,
            Verification = VerificationLevel.None,
            HostNameRules = HostNameRules.Pgjdbc,
            ChainEngine = ChainEngine.JavaPkix,
            ClientCertificate = files.ClientCertificate,
            SendSni = host.Contains('.', StringComparison.Ordinal) && !host.EndsWith('.') && !Tls.HostNames.InetAddress.IsIpAddress(host.Trim('[', ']')),
        };

        if (mode == "disable")
        {
            findings.Add(FindingCatalog.Create(FindingCodes.TlsNotUsed, "sslmode=disable: pgjdbc never encrypts; the password and all data cross the network in plaintext."));
            return (policy, findings.ToImmutable());
        }

        var direct = url.Get(PgjdbcProperties.SslNegotiation) == "direct" && mode is not ("allow" or "prefer");
        policy = policy with
        {
            Encryption = mode switch
            {
                "allow" or "prefer" => EncryptionMode.Opportunistic,
                _ => direct ? EncryptionMode.TlsFirst : EncryptionMode.Required,
            },
            OpportunisticOrder = mode == "allow" ? OpportunisticOrder.PlaintextFirst : OpportunisticOrder.EncryptedFirst,
            FallBackOnHandshakeFailure = false,
            Alpn = direct ? ["postgresql"] : [],
        };

        var factory = url.Get(PgjdbcProperties.SslFactory) ?? LibPqFactory;
        var verifyHost = mode == "verify-full";
        (policy, var chainNote) = factory switch
        {
            LibPqFactory or "org.postgresql.ssl.jdbc4.LibPQFactory" => mode is "verify-ca" or "verify-full"
                ? (policy with { Trust = new TrustSource.PemFile(files.RootPath!), Verification = verifyHost ? VerificationLevel.ChainAndHostName : VerificationLevel.Chain }, null)
                : (policy, (string?)null),
            DefaultJavaFactory => (policy with { Trust = TrustSource.System, Verification = verifyHost ? VerificationLevel.ChainAndHostName : VerificationLevel.Chain },
                "sslfactory=DefaultJavaSSLFactory: the chain is checked against the JVM's default trust store (cacerts, which Debian builds from the system store); dbtls uses the system trust store; sslrootcert is not read."),
            NonValidatingFactory => (policy, verifyHost
                ? "sslfactory=NonValidatingFactory accepts any certificate chain, but sslmode=verify-full still makes pgjdbc check the host name after the handshake; dbtls does not check the host name without the chain, so a wrong name that pgjdbc refuses passes here."
                : null),
            _ => throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"sslfactory={factory}: dbtls cannot know what a custom SSLSocketFactory class accepts",
                $"Check with the default factory (remove sslfactory) and sslmode=verify-full, or with sslfactory={DefaultJavaFactory}."),
        };
        if (chainNote is not null)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote, chainNote, null, factory == NonValidatingFactory ? Severity.Warning : null));
        }

        if (verifyHost && url.Get(PgjdbcProperties.SslHostnameVerifier) is { } verifier)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                $"sslhostnameverifier={verifier}: pgjdbc asks that class instead of PGjdbcHostnameVerifier; dbtls applies PGjdbcHostnameVerifier's rules.",
                "Remove sslhostnameverifier to have pgjdbc check the host name itself.", Severity.Warning));
        }

        AddModeFindings(mode, factory, findings);
        if (url.Get(PgjdbcProperties.SslNegotiation) is { } negotiation)
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote, negotiation == "direct"
                ? "sslNegotiation=direct (pgjdbc 42.7.4 and later; earlier versions ignore it): TLS starts on the first byte with ALPN \"postgresql\"; only PostgreSQL 17 and later accept it."
                    + (direct ? "" : $" With sslmode={mode} pgjdbc still negotiates the traditional way.")
                : $"sslNegotiation={negotiation}: any value but \"direct\" is the traditional SSLRequest negotiation."));
        }

        return (policy, findings.ToImmutable());
    }

    private static void AddModeFindings(string mode, string factory, ImmutableArray<Finding>.Builder findings)
    {
        switch (mode)
        {
            case "allow":
                findings.Add(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                    "sslmode=allow: pgjdbc connects without TLS and uses TLS only when the server rejects the plaintext login; an attacker can keep the connection in plaintext."));
                break;
            case "prefer":
                findings.Add(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                    "sslmode=prefer (pgjdbc's default without ssl=true): pgjdbc uses TLS when the server offers it, without checking the certificate, and connects in plaintext when the server refuses TLS, which an attacker can force."));
                break;
            case "require" when factory != DefaultJavaFactory:
                findings.Add(FindingCatalog.Create(FindingCodes.CertNotVerified,
                    "sslmode=require: pgjdbc encrypts but accepts any server certificate (NonValidatingTM), even when ~/.postgresql/root.crt exists."));
                break;
            case "verify-ca":
                findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                    "sslmode=verify-ca checks the certificate chain but not the host name: any server holding a certificate from a trusted CA is accepted.",
                    "Use sslmode=verify-full (or ssl=true without sslmode) to check the host name too."));
                break;
        }
    }
}
