using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Checks;

internal static partial class PostgresCheck
{
    /// <summary>The parts of the report that the spec alone determines. Never contains the password.</summary>
    private static CheckReport CreateReport(PostgresConnectionSpec spec)
    {
        var policy = spec.Tls;
        var direct = spec.Negotiation == PostgresNegotiation.Direct || policy.Encryption == EncryptionMode.TlsFirst;
        var effective = EffectivePolicy(policy, direct ? EncryptionMethod.Direct : EncryptionMethod.SslRequest);
        return new CheckReport
        {
            Target = TargetOf(spec),
            Policy = PolicyReports.Of(
                policy,
                spec.PolicySummary ?? $"sslmode={spec.SslMode}" + (spec.Negotiation == PostgresNegotiation.Direct ? " sslnegotiation=direct" : ""),
                effective.Alpn),
        };
    }

    internal static string EncryptionName(EncryptionMode mode) => mode switch
    {
        EncryptionMode.Disabled => "disabled",
        EncryptionMode.Opportunistic => "opportunistic",
        EncryptionMode.Required => "required",
        EncryptionMode.TlsFirst => "tls-first",
        _ => mode.ToString(),
    };

    internal static string VerificationName(VerificationLevel level) => level switch
    {
        VerificationLevel.None => "none",
        VerificationLevel.Chain => "chain",
        VerificationLevel.ChainAndHostName => "chain-and-hostname",
        _ => level.ToString(),
    };

    /// <summary>Login, server view, findings in a fixed order, verdict and exit code.</summary>
    private static void Finish(CheckRun run, Finding? failure)
    {
        var report = run.Report;
        var spec = run.Spec;

        if (run.Login is { } login)
        {
            report.Login = new LoginReport
            {
                Attempted = login.Attempted,
                Succeeded = login.Succeeded,
                Mechanism = login.Mechanism,
                ChannelBinding = login.ChannelBinding,
                Detail = login.Succeeded || login.SkippedForLackOfPassword || failure is null ? login.Detail : failure.Message,
            };

            if (login.Succeeded || login.Parameters.Count > 0)
            {
                report.Server = new ServerReport
                {
                    ServerVersion = login.Parameters.TryGetValue("server_version", out var version) ? PostgresServerErrorClean(version) : null,
                };
                if (run.View?.Row is { } row)
                {
                    report.Server.Ssl = row.Ssl;
                    report.Server.Version = row.Version;
                    report.Server.Cipher = row.Cipher;
                    report.Server.Bits = row.Bits;
                    report.Server.ClientDn = row.ClientDn;
                }
            }
        }

        var findings = new CheckFindings(CheckFindings.Of(spec.Findings));

        if (spec.Tls.Encryption == EncryptionMode.Opportunistic && !run.OverUnixSocket)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.TlsOpportunistic,
                $"sslmode={spec.SslMode} lets an attacker in the path silently force a plaintext connection (answer 'N' or break the handshake)"));
        }

        if (run.StartupSent && !report.Negotiation.Encrypted)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.TlsNotUsed,
                $"the connection that was used is not encrypted: {run.PlaintextReason ?? $"sslmode={spec.SslMode}"}"
                + (run.Login?.Attempted == true && run.Login.Mechanism is "password" or "md5" ? $"; the {run.Login.Mechanism} credential crossed the network unencrypted" : "")));
        }

        if (report.Negotiation.Encrypted)
        {
            if (spec.Tls.Verification == VerificationLevel.None)
            {
                findings.AddOnce(FindingCatalog.Create(FindingCodes.CertNotVerified,
                    $"sslmode={spec.SslMode} encrypts but does not verify the server certificate"));
            }

            findings.AddOnce(run.TlsFindings);

            if (report.Tls?.Protocol is "TLSv1" or "TLSv1.1")
            {
                findings.AddOnce(FindingCatalog.Create(FindingCodes.TlsWeakProtocol, $"the connection uses {report.Tls.Protocol}"));
            }
        }

        if (run.Login is { SkippedForLackOfPassword: true } skipped)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.AuthSkipped, skipped.Detail ?? "no password was available"));
        }

        if (run.ViewProblem is not null)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.ServerViewUnavailable, $"pg_stat_ssl could not be read: {run.ViewProblem}"));
        }

        findings.Conclude(report, failure);
    }

    /// <summary>The report's target section for a spec: what was asked for, never a password.</summary>
    public static TargetReport TargetOf(PostgresConnectionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TargetReport
        {
            Dialect = spec.Dialect,
            ConnectionString = spec.RedactedConnectionString,
            Host = spec.Host ?? spec.HostAddress ?? "",
            HostAddress = spec.HostAddress,
            Port = spec.Port,
            User = spec.User,
            Database = spec.Database,
            Sources = [.. spec.Sources],
        };
    }

    private static string PostgresServerErrorClean(string value) => Wire.Postgres.PostgresServerError.Clean(value, 200);
}
