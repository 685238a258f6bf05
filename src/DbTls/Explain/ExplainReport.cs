using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Explain;

/// <summary>
/// <c>dbtls explain --format json</c> (docs/explain.md): the policy section is the check report's own
/// <see cref="PolicyReport"/>, so both commands describe a policy with the same model.
/// </summary>
public sealed class ExplainReport
{
    public string Dialect { get; set; } = "";

    /// <summary>The connection string with every secret replaced by <c>********</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public int ExitCode { get; set; }

    /// <summary><c>postgresql</c> | <c>tds</c> | <c>mongodb</c>; null when the string could not be read.</summary>
    public string? Protocol { get; set; }

    public List<string> Hosts { get; set; } = [];

    public int? Port { get; set; }

    public string? User { get; set; }

    public string? Database { get; set; }

    public PolicyReport? Policy { get; set; }

    /// <summary>The name certificates are checked against instead of the host (SqlClient HostNameInCertificate ...).</summary>
    public string? ExpectedHostName { get; set; }

    public string? PinnedCertificate { get; set; }

    /// <summary>SQL Server: the PRELOGIN ENCRYPTION value sent, e.g. <c>ON</c>.</summary>
    public string? EncryptionSent { get; set; }

    /// <summary>SQL Server: what each server answer leads to.</summary>
    public List<ServerAnswerReport>? ServerAnswers { get; set; }

    public List<ExplainStatement> Statements { get; set; } = [];

    public List<string> Sources { get; set; } = [];

    public List<FindingReport> Findings { get; set; } = [];

    public static ExplainReport From(ExplainOutcome outcome, Severity failOn)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var report = new ExplainReport
        {
            Dialect = outcome.Dialect,
            ConnectionString = outcome.RedactedConnectionString,
            ExitCode = outcome.ExitCode(failOn),
        };
        if (outcome.Failure is { } failure)
        {
            report.Findings.Add(FindingReport.From(failure));
            return report;
        }

        var explanation = outcome.Explanation!;
        var description = explanation.Description;
        var policy = description.Tls;
        report.Protocol = description.Protocol switch
        {
            ConnectionProtocol.PostgreSql => "postgresql",
            ConnectionProtocol.Tds => "tds",
            _ => "mongodb",
        };
        report.Hosts = [.. description.Hosts];
        report.Port = description.Port;
        report.User = description.User;
        report.Database = description.Database;
        report.Policy = new PolicyReport
        {
            Summary = description.PolicySummary,
            Encryption = PostgresCheck.EncryptionName(policy.Encryption),
            Verification = PostgresCheck.VerificationName(policy.Verification),
            Trust = Checks.PolicyReports.TrustOf(policy),
            HostNameRules = policy.HostNameRules.ToString().ToLowerInvariant(),
            MinProtocol = policy.MinProtocol?.ToDisplay(),
            MaxProtocol = policy.MaxProtocol?.ToDisplay(),
            CrlFiles = [.. policy.Revocation.CrlFiles.IsDefault ? [] : policy.Revocation.CrlFiles],
            CrlDirectories = [.. policy.Revocation.CrlDirectories.IsDefault ? [] : policy.Revocation.CrlDirectories],
            ClientCertificate = policy.ClientCertificate?.CertificatePath,
            Sni = policy.SendSni,
            Alpn = [.. policy.Alpn.IsDefault ? [] : policy.Alpn],
        };
        report.ExpectedHostName = policy.ExpectedHostName;
        report.PinnedCertificate = policy.PinnedCertificatePath;
        report.EncryptionSent = description.PreloginEncryption is { } sent ? TdsAnswerExplainer.Answers.First(a => a.Answer == sent).Name["ENCRYPT_".Length..] : null;
        report.ServerAnswers = description.ServerAnswers is { } table ? ServerAnswerReport.All(table) : null;
        report.Statements = [.. explanation.Statements];
        report.Sources = [.. description.Sources];
        report.Findings = [.. explanation.Findings.Select(FindingReport.From)];
        return report;
    }
}

/// <summary>One row of a SQL Server driver's answer table.</summary>
public sealed class ServerAnswerReport
{
    /// <summary><c>OFF</c> | <c>ON</c> | <c>REQ</c> | <c>NOT_SUP</c>.</summary>
    public string Answer { get; set; } = "";

    /// <summary><c>plaintext</c> | <c>login-only</c> | <c>encrypt</c> | <c>fail</c>.</summary>
    public string Action { get; set; } = "";

    public bool VerifiesCertificate { get; set; }

    public string? Note { get; set; }

    internal static List<ServerAnswerReport> All(TdsServerAnswerTable table) =>
    [
        .. TdsAnswerExplainer.Answers
            .Select(a => (a.Name, rule: table.For(a.Answer)))
            .Select(a => new ServerAnswerReport
            {
                Answer = a.Name["ENCRYPT_".Length..],
                Action = a.rule.Action switch
                {
                    TdsAnswerAction.Plaintext => "plaintext",
                    TdsAnswerAction.LoginOnly => "login-only",
                    TdsAnswerAction.Encrypt => "encrypt",
                    _ => "fail",
                },
                VerifiesCertificate = a.rule.VerifiesCertificate,
                Note = a.rule.Note,
            }),
    ];
}
