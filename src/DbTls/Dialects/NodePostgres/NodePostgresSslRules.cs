using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.NodePostgres;

/// <summary>What node-postgres does with TLS for one string: whether it encrypts, what it verifies, with which files.</summary>
internal sealed record NodePostgresSsl(
    bool Enabled, VerificationLevel Verification, string? CaPath, string? CertPath, string? KeyPath, bool Direct, string Summary, ImmutableArray<Finding> Findings);

/// <summary>
/// pg-connection-string 2.14.1's <c>parse</c> and pg 8.23.1's ConnectionParameters, as measured against them
/// (NodePostgresParityTests). Where they surprise a libpq user:
/// <list type="bullet">
/// <item>without <c>uselibpqcompat=true</c>, sslmode prefer, require and verify-ca all mean verify-full (chain and host
/// name), and so does an sslmode value it does not know (allow, a typo); only disable and no-verify weaken it;</item>
/// <item>with <c>uselibpqcompat=true</c>: prefer, and require without sslrootcert, accept any certificate; require with
/// sslrootcert and verify-ca check the chain only; verify-ca without sslrootcert is an error; no-verify means verify-full;</item>
/// <item>there is never a plaintext fallback: once TLS is on, a server answering 'N' fails the connection;</item>
/// <item><c>ssl=true</c>/<c>1</c> verify fully and <c>ssl=0</c> is off, but <c>ssl=false</c> (any other non-empty text)
/// is a truthy string: TLS with full verification; <c>ssl=no-verify</c> accepts any certificate;</item>
/// <item>without TLS settings in the string only PGSSLMODE is read (disable: off; prefer, require, verify-ca, verify-full:
/// full verification; no-verify: any certificate; anything else: off); PGSSLROOTCERT and ~/.postgresql are never read;</item>
/// <item>without sslrootcert, Node trusts its own bundled Mozilla CA list, not the system store.</item>
/// </list>
/// </summary>
internal static class NodePostgresSslRules
{
    private const string Full = "verify-full";

    public static NodePostgresSsl Resolve(NodePostgresUri uri, IReadOnlyDictionary<string, string> variables)
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var sslmode = Nonempty(uri.Get("sslmode"));
        var rootcert = Nonempty(uri.Get("sslrootcert"));
        var cert = Nonempty(uri.Get("sslcert"));
        var key = Nonempty(uri.Get("sslkey"));
        var compat = uri.Get("uselibpqcompat") == "true";
        var ssl = uri.Get("ssl");

        // ssl=true/1 is true, ssl=0 false, any other text stays a (truthy unless empty) string; TLS keywords replace it with {}.
        (bool On, VerificationLevel Level, string Why)? state = ssl switch
        {
            null => null,
            "true" or "1" => (true, VerificationLevel.ChainAndHostName, $"ssl={ssl}"),
            "0" => (false, VerificationLevel.None, "ssl=0"),
            "" => (false, VerificationLevel.None, "ssl= (empty, so off)"),
            "no-verify" => (true, VerificationLevel.None, "ssl=no-verify"),
            _ => (true, VerificationLevel.ChainAndHostName, $"ssl={ssl}"),
        };

        // Measured: any other text (ssl=false too) stays a string, which pg 8.23 takes as "TLS on"; after the server's 'S'
        // it tests 'key' in that string, a TypeError thrown from a socket callback (not from connect()), so it never connects.
        if (state is { On: true } && ssl is not ("true" or "1" or "no-verify") && sslmode is null && rootcert is null && cert is null && key is null)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid,
                $"ssl={ssl}: node-postgres keeps this value as a string, sends the SSLRequest and then fails with a TypeError (\"Cannot use 'in' operator to search for 'key'\") thrown outside connect(), which crashes a process without an uncaughtException handler; it never connects.",
                "Write ssl=true or sslmode=verify-full to turn TLS on, or ssl=0 or sslmode=disable to turn it off.");
        }

        if (sslmode is not null || rootcert is not null || cert is not null || key is not null)
        {
            state = compat ? Compat(sslmode, rootcert) : Default(sslmode, findings);
        }

        var direct = (uri.Get("sslnegotiation") ?? Nonempty(variables.GetValueOrDefault("PGSSLNEGOTIATION"))) is { } negotiation
            ? negotiation switch
            {
                "direct" => true,
                "postgres" => false,
                _ => throw new DbTlsException(FindingCodes.ConfigInvalid, $"Invalid sslnegotiation value: \"{negotiation}\". Valid values are \"postgres\" and \"direct\".", null),
            }
            : false;
        if (direct && state is null && uri.Get("sslnegotiation") == "direct")
        {
            state = (true, VerificationLevel.ChainAndHostName, "sslnegotiation=direct (implies ssl=true)");
        }

        state ??= FromEnvironment(variables.GetValueOrDefault("PGSSLMODE"));
        if (direct && !state.Value.On)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, "sslnegotiation=direct requires SSL to be enabled", "Remove sslnegotiation=direct or turn TLS on (sslmode=verify-full).");
        }

        var (on, level, why) = state.Value;
        return new NodePostgresSsl(on, level, on ? rootcert : null, on ? cert : null, on ? key : null, direct, why, findings.ToImmutable());
    }

    private static (bool, VerificationLevel, string) Default(string? sslmode, ImmutableArray<Finding>.Builder findings)
    {
        switch (sslmode)
        {
            case "disable":
                return (false, VerificationLevel.None, "sslmode=disable");
            case "no-verify":
                return (true, VerificationLevel.None, "sslmode=no-verify");
            case null or Full:
                return (true, VerificationLevel.ChainAndHostName, sslmode is null ? "verify-full (implied by the TLS file parameters)" : "sslmode=verify-full");
            default:
                findings.Add(FindingCatalog.Create(FindingCodes.LintSslmodeAlias,
                    $"sslmode={sslmode}: node-postgres (pg-connection-string 2.x without uselibpqcompat=true) treats it as verify-full, checking the chain and the host name; libpq would verify less. pg 9 will switch to libpq's meaning.",
                    $"Write sslmode=verify-full to keep today's behaviour when pg 9 arrives, or uselibpqcompat=true&sslmode={sslmode} for libpq's meaning now.",
                    Severity.Warning));
                return (true, VerificationLevel.ChainAndHostName, $"sslmode={sslmode}, treated as verify-full (uselibpqcompat is not true)");
        }
    }

    private static (bool, VerificationLevel, string) Compat(string? sslmode, string? rootcert) => sslmode switch
    {
        "disable" => (false, VerificationLevel.None, "sslmode=disable"),
        "prefer" => (true, VerificationLevel.None, "sslmode=prefer with uselibpqcompat=true (TLS required, certificate not verified, no plaintext fallback)"),
        "require" when rootcert is not null => (true, VerificationLevel.Chain, "sslmode=require with uselibpqcompat=true and sslrootcert (as verify-ca)"),
        "require" => (true, VerificationLevel.None, "sslmode=require with uselibpqcompat=true (certificate not verified)"),
        "verify-ca" when rootcert is null => throw new DbTlsException(FindingCodes.ConfigInvalid,
            "SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert (pg-connection-string refuses the string)",
            "Add sslrootcert=<the CA file>, or use sslmode=verify-full."),
        "verify-ca" => (true, VerificationLevel.Chain, "sslmode=verify-ca with uselibpqcompat=true"),
        _ => (true, VerificationLevel.ChainAndHostName, sslmode is null or Full ? "sslmode=verify-full" : $"sslmode={sslmode}, treated as verify-full"),
    };

    private static (bool, VerificationLevel, string) FromEnvironment(string? pgsslmode) => pgsslmode switch
    {
        "disable" => (false, VerificationLevel.None, "PGSSLMODE=disable"),
        "prefer" or "require" or "verify-ca" or Full => (true, VerificationLevel.ChainAndHostName, $"PGSSLMODE={pgsslmode}, which pg reads as ssl=true (full verification)"),
        "no-verify" => (true, VerificationLevel.None, "PGSSLMODE=no-verify"),
        null or "" => (false, VerificationLevel.None, "no TLS (pg's default ssl=false)"),
        _ => (false, VerificationLevel.None, $"PGSSLMODE={pgsslmode} is not a value pg knows: no TLS"),
    };

    private static string? Nonempty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
