using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using DbTls.Reports;

using Scopes = DbTls.Reports.NegotiationScopes;

namespace DbTls.Checks;

internal static partial class TdsCheck
{
    /// <summary>The report's target section for a spec: what was asked for, never a password.</summary>
    public static TargetReport TargetOf(TdsConnectionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TargetReport
        {
            Dialect = spec.Dialect,
            ConnectionString = spec.RedactedConnectionString,
            Host = spec.Host,
            Port = spec.Port,
            User = spec.User,
            Database = spec.Database,
            Sources = [.. spec.Sources.IsDefault ? [] : spec.Sources],
        };
    }

    /// <summary>The parts of the report that the spec alone determines. Never contains the password.</summary>
    private static CheckReport CreateReport(TdsConnectionSpec spec)
    {
        // What the handshake is offered: TDS 7.x wraps it in PRELOGIN packets and stays at TLS 1.2 there.
        var policy = spec.TlsFirst
            ? StrictPolicy(spec.Tls)
            : spec.Tls with { MaxProtocol = spec.Tls.MaxProtocol is { } max && max < TlsProtocolVersion.Tls12 ? max : TlsProtocolVersion.Tls12 };
        return new CheckReport
        {
            Target = TargetOf(spec),
            Policy = PolicyReports.Of(policy, spec.PolicySummary, policy.Alpn),
        };
    }

    /// <summary>Login, server view, findings in a fixed order, verdict and exit code.</summary>
    private static void Finish(CheckRun run, Finding? failure)
    {
        var report = run.Report;
        var spec = run.Spec;
        var negotiation = report.Negotiation;

        if (run.LoginSent || run.LoginSkipped is not null)
        {
            report.Login = new LoginReport
            {
                Attempted = run.LoginSent,
                Succeeded = run.LoginSucceeded,
                Mechanism = run.LoginSent ? "sql-password" : null,
                Detail = run.LoginSkipped ?? (run.LoginSucceeded || failure is null ? run.LoginDetail : failure.Message),
            };
        }

        if (run.LoginSucceeded)
        {
            report.Server = new ServerReport
            {
                ServerVersion = run.ServerVersion,
                EncryptOption = run.View?.EncryptOption,
                ProtocolType = run.View?.ProtocolType,
                AuthScheme = run.View?.AuthScheme,
                Ssl = run.View?.EncryptOption?.ToUpperInvariant() switch
                {
                    "TRUE" => true,
                    "FALSE" => false,
                    _ => null,
                },
            };
        }

        var findings = new CheckFindings(CheckFindings.Of(spec.Findings));

        var credentialInClear = run.LoginSentInClear ? "; LOGIN7, with the password, crossed the network unencrypted" : "";
        if (negotiation.Scope == Scopes.None && (run.LoginSent || run.LoginSkipped is not null))
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.TlsNotUsed,
                $"the connection is not encrypted: {run.ClearReason ?? "no TLS was negotiated"}{credentialInClear}",
                "Require encryption on the client (SqlClient Encrypt=Mandatory or Strict, JDBC encrypt=true, FreeTDS encryption = require) and give the server a certificate."));
        }

        if (negotiation.Scope == Scopes.LoginOnly)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.TlsLoginOnly,
                $"only LOGIN7 went through TLS ({run.ClearReason ?? "login-only encryption"}); every query and result after it travels in clear text"));
            if (run.LoginOnlyUnverified)
            {
                findings.AddOnce(FindingCatalog.Create(FindingCodes.CertNotVerified,
                    $"the TLS session that protects LOGIN7 accepted any certificate ({spec.Dialect} does not validate for login-only encryption): whoever answers in the server's place can read the password",
                    "Require encryption (SqlClient Encrypt=Mandatory, JDBC encrypt=true) so that the certificate is validated, or force encryption on the server."));
            }
        }

        if (negotiation.Scope == Scopes.Full && run.EncryptNote is not null)
        {
            // Not AddOnce: the dialect's own config.note findings must not hide this one.
            findings.Add(TdsDialectRules.Note(run.EncryptNote));
        }

        if (negotiation.Scope is Scopes.Full or Scopes.LoginOnly)
        {
            findings.AddOnce(run.TlsFindings);
        }

        if (run.LoginSkipped is not null)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.AuthSkipped, run.LoginSkipped,
                "Give a user and a password (User ID and Password, or --user with DBTLS_PASSWORD) to log in and read the server's view of the session."));
        }

        if (run.ViewProblem is not null)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.ServerViewUnavailable, $"sys.dm_exec_connections could not be read: {run.ViewProblem}",
                "Grant the login VIEW SERVER STATE (or, on SQL Server 2022, VIEW SERVER PERFORMANCE STATE), or check the session with a privileged account."));
        }

        if (run.View?.EncryptOption is { } encryptOption && Mismatch(encryptOption, negotiation.Scope) is { } mismatch)
        {
            findings.AddOnce(FindingCatalog.Create(FindingCodes.ServerEncryptionMismatch, mismatch));
        }

        findings.Conclude(report, failure);
    }

    /// <summary>What the server's encrypt_option says against what dbtls negotiated; null when they agree.</summary>
    internal static string? Mismatch(string encryptOption, string? scope)
    {
        var serverEncrypts = encryptOption.Equals("TRUE", StringComparison.OrdinalIgnoreCase);
        if (!serverEncrypts && !encryptOption.Equals("FALSE", StringComparison.OrdinalIgnoreCase))
        {
            return $"the server reports encrypt_option \"{encryptOption}\", neither TRUE nor FALSE";
        }

        return (serverEncrypts, scope) switch
        {
            (false, Scopes.Full) => "dbtls encrypted the whole session, but the server reports encrypt_option FALSE: something between client and server terminates TLS and talks to the server in clear",
            (true, Scopes.LoginOnly or Scopes.None) => $"the session goes on in clear after the login ({scope}), but the server reports encrypt_option TRUE: something between client and server adds TLS on the server's side",
            _ => null,
        };
    }
}
