using System.Globalization;
using DbTls.Reports;

namespace DbTls.Gates;

/// <summary><c>--require verified</c> / <c>encrypted</c>: the protection the connection really had is at least this.</summary>
internal sealed class ProtectionRule(string minimum) : IGateRule
{
    // Weakest first: a level passes a requirement when it stands at or after it.
    private static readonly string[] Order = [ProtectionLevels.None, ProtectionLevels.LoginOnly, ProtectionLevels.Encrypted, ProtectionLevels.Verified];

    public string Name => minimum;

    public GateResult Evaluate(CheckReport report, DateTimeOffset now) =>
        Array.IndexOf(Order, report.Protection) >= Array.IndexOf(Order, minimum)
            ? GateResult.Pass(Name)
            : GateResult.Fail(Name, $"protection is {report.Protection}, {minimum} is required");
}

/// <summary><c>verify-full-everywhere</c>: the string itself asks for chain and host-name verification, and got it.</summary>
internal sealed class VerifyFullRule : IGateRule
{
    public const string Profile = "verify-full-everywhere";

    public string Name => Profile;

    public GateResult Evaluate(CheckReport report, DateTimeOffset now)
    {
        var reasons = new List<string>();
        var verification = report.Policy?.Verification;
        if (verification != "chain-and-hostname")
        {
            reasons.Add($"the connection string does not ask for full verification (verification: {verification ?? "unknown"})");
        }

        if (report.Protection != ProtectionLevels.Verified)
        {
            reasons.Add($"protection is {report.Protection}, verified is required");
        }

        return reasons.Count == 0 ? GateResult.Pass(Name) : GateResult.Fail(Name, [.. reasons]);
    }
}

/// <summary><c>no-expiry-within:30d</c>: no certificate the server presented expires within the window (or has expired).</summary>
internal sealed class ExpiryRule(string name, TimeSpan window) : IGateRule
{
    public const string Prefix = "no-expiry-within:";

    public string Name => name;

    public TimeSpan Window => window;

    public GateResult Evaluate(CheckReport report, DateTimeOffset now)
    {
        var certificates = report.Tls?.Certificates ?? [];
        if (certificates.Count == 0)
        {
            return GateResult.Fail(Name, "no certificate was seen, so its expiry cannot be judged");
        }

        var limit = now + window;
        var reasons = certificates
            .Where(c => c.NotAfter <= limit)
            .Select(c => c.NotAfter <= now
                ? $"{c.Subject} expired on {Day(c.NotAfter)}"
                : $"{c.Subject} expires on {Day(c.NotAfter)}, within {window.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days")
            .ToArray();
        return reasons.Length == 0 ? GateResult.Pass(Name) : GateResult.Fail(Name, reasons);
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary><c>min-tls:1.2</c>: the handshake completed with at least this TLS version.</summary>
internal sealed class MinTlsRule(string name, int minor) : IGateRule
{
    public const string Prefix = "min-tls:";

    public string Name => name;

    public GateResult Evaluate(CheckReport report, DateTimeOffset now)
    {
        var protocol = report.Tls?.Protocol;
        if (protocol is null)
        {
            return GateResult.Fail(Name, "no TLS handshake completed");
        }

        return TlsVersions.TryMinor(protocol, out var seen) && seen >= minor
            ? GateResult.Pass(Name)
            : GateResult.Fail(Name, $"the server negotiated {protocol}, TLS 1.{minor} or newer is required");
    }
}

/// <summary><c>--fail-on warning|error</c>: no finding at or above this severity.</summary>
internal sealed class SeverityRule(string severity) : IGateRule
{
    public string Name => "fail-on:" + severity;

    public GateResult Evaluate(CheckReport report, DateTimeOffset now)
    {
        var reasons = report.Findings
            .Where(f => Rank(f.Severity) >= Rank(severity))
            .Select(f => $"{f.Severity} {f.Code}: {f.Message}")
            .ToArray();
        return reasons.Length == 0 ? GateResult.Pass(Name) : GateResult.Fail(Name, reasons);
    }

    private static int Rank(string severity) => severity switch
    {
        "error" => 2,
        "warning" => 1,
        _ => 0,
    };
}
