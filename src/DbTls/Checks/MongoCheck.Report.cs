using System.Text;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Wire.Mongo;

namespace DbTls.Checks;

internal static partial class MongoCheck
{
    /// <summary>The parts of the report that the spec alone determines. Never contains a password.</summary>
    private static CheckReport CreateReport(MongoConnectionSpec spec)
    {
        var policy = spec.Tls;
        return new CheckReport
        {
            Target = TargetOf(spec),
            Policy = PolicyOf(spec),
            Negotiation = new NegotiationReport { Method = spec.TlsSettings.Enabled ? ImplicitMethod : PlainMethod },
        };
    }

    /// <summary>
    /// The common policy section, with MongoDB's differences: a plaintext URI trusts nothing and sends no SNI (there is no
    /// handshake at all), and MongoDB drivers offer no ALPN.
    /// </summary>
    private static PolicyReport PolicyOf(MongoConnectionSpec spec)
    {
        var policy = spec.Tls;
        var report = PolicyReports.Of(policy, PolicySummary(spec), []);
        if (policy.Encryption == EncryptionMode.Disabled)
        {
            report.Trust = "none";
            report.Sni = false;
        }

        return report;
    }

    /// <summary>The report's target section for a spec: what was asked for, never a password.</summary>
    public static TargetReport TargetOf(MongoConnectionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var first = spec.Hosts.IsDefaultOrEmpty ? null : spec.Hosts[0];
        return new TargetReport
        {
            Dialect = "mongodb",
            ConnectionString = spec.RedactedUri,
            Host = spec.IsSrv ? spec.SrvHostName ?? "" : string.Join(",", spec.Hosts.Select(h => h.ToString())),
            Port = spec.IsSrv || first is null ? 0 : first.Port,
            User = spec.User,
            Database = spec.Database,
            Sources = [.. spec.Sources],
        };
    }

    /// <summary>The TLS options in the URI's own words, e.g. <c>tls=true tlsCAFile=ca.pem tlsAllowInvalidHostnames=true</c>.</summary>
    private static string PolicySummary(MongoConnectionSpec spec)
    {
        var tls = spec.TlsSettings;
        var text = new StringBuilder(tls.Enabled ? "tls=true" : "tls=false");
        void Add(bool on, string option)
        {
            if (on)
            {
                text.Append(' ').Append(option);
            }
        }

        Add(tls.CAFile is not null, $"tlsCAFile={tls.CAFile}");
        Add(tls.CertificateKeyFile is not null, $"tlsCertificateKeyFile={tls.CertificateKeyFile}");
        Add(tls.CertificateKeyFilePassword is not null, "tlsCertificateKeyFilePassword=********");
        Add(tls.CrlFile is not null, $"tlsCRLFile={tls.CrlFile}");
        Add(tls.Insecure, "tlsInsecure=true");
        Add(!tls.Insecure && tls.AllowInvalidCertificates, "tlsAllowInvalidCertificates=true");
        Add(!tls.Insecure && tls.AllowInvalidHostnames, "tlsAllowInvalidHostnames=true");
        Add(!tls.Insecure && tls.DisableOcspEndpointCheck, "tlsDisableOCSPEndpointCheck=true");
        Add(tls.DisableCertificateRevocationCheck, "tlsDisableCertificateRevocationCheck=true");
        Add(spec.AuthMechanism is not null, $"authMechanism={spec.AuthMechanism}");
        return text.ToString();
    }

    /// <summary>Login, server view, findings in a fixed order, verdict and exit code.</summary>
    private static void Finish(CheckRun run, Finding? failure)
    {
        var report = run.Report;
        var spec = run.Spec;
        var used = run.Used;
        var shown = used ?? run.Failures.FirstOrDefault(f => f.Finding == failure)?.Outcome;
        report.Tls = shown?.Tls;
        // The connection shown was encrypted once its TLS handshake completed, even if the server hung up afterwards
        // (as PostgreSQL's and TDS's reports say); "not encrypted" would misstate what went over the wire.
        report.Negotiation.Encrypted = shown?.Tls?.Protocol is not null;
        report.Login = LoginOf(run, shown, failure);
        if (used?.Auth is not null)
        {
            report.Server = new ServerReport
            {
                ServerVersion = used.ServerVersion,
                AuthenticatedUsers = used.Status is { } status ? [.. status.AuthenticatedUsers.Select(u => $"{u.User}@{u.Database}")] : null,
            };
        }

        var findings = new CheckFindings(CheckFindings.Of(spec.Findings).Where(f => f.Code != FindingCodes.TlsNotUsed), sameCodeMayRepeat: true);

        if (!spec.TlsSettings.Enabled)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.TlsNotUsed,
                "tls=false: the connection is plaintext and MongoDB has no in-protocol upgrade, so "
                + (used?.LoginAttempted == true || shown?.LoginAttempted == true
                    ? $"the credentials of '{spec.User}' travelled in clear (the user name and the SCRAM proof, which is open to offline guessing of the password), and so does all data"
                    : "credentials and data travel unencrypted"),
                "Add tls=true to the URI (mongodb+srv:// turns it on by default) and make the server require TLS (net.tls.mode: requireTLS)."));
        }

        if (used is not null)
        {
            // Seeds that failed before the one that worked: the deployment works, but not every member does.
            foreach (var earlier in run.Failures)
            {
                findings.AddOnce(earlier.Finding with { Severity = Severity.Warning, Message = $"seed {earlier.Outcome.Host}: {earlier.Finding.Message}; the check went on with {used.Host}" });
            }

            findings.AddOnce(used.TlsFindings);
        }

        if (run.NoLogin is { } noLogin && (used is not null || failure is null))
        {
            findings.AddOnce(noLogin);
        }

        if (used?.ViewProblem is { } problem)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.ServerViewUnavailable, $"connectionStatus could not be read: {problem}",
                "Check that the user may run connectionStatus and buildInfo (every authenticated user may by default)."));
        }

        Finding? listedAs = null;
        if (failure is not null)
        {
            foreach (var other in run.Failures.Where(f => f.Finding != failure))
            {
                findings.AddOnce(other.Finding with { Message = $"seed {other.Outcome.Host}: {other.Finding.Message}" });
            }

            var primary = run.Failures.FirstOrDefault(f => f.Finding == failure);
            listedAs = spec.Hosts.Length > 1 && primary is not null ? failure with { Message = $"seed {primary.Outcome.Host}: {failure.Message}" } : null;
        }

        findings.Conclude(report, failure, listedAs);
    }

    private static LoginReport? LoginOf(CheckRun run, HostOutcome? shown, Finding? failure)
    {
        if (shown?.Hello is null)
        {
            return null;
        }

        if (!shown.LoginAttempted)
        {
            return new LoginReport { Attempted = false, Detail = run.NoLogin?.Message };
        }

        var mechanism = shown.Mechanism?.ToMechanismName().ToLowerInvariant();
        if (shown.Auth is { } auth)
        {
            var how = auth.Speculative ? "speculatively in hello" : "with saslStart";
            return new LoginReport
            {
                Attempted = true,
                Succeeded = true,
                Mechanism = mechanism,
                Detail = $"logged in as {run.Spec.User} on {run.Credential!.Source} {how}, {auth.RoundTrips} more round trip(s), {auth.Iterations} iterations; server signature verified",
            };
        }

        return new LoginReport { Attempted = true, Succeeded = false, Mechanism = mechanism, Detail = failure?.Message };
    }
}
