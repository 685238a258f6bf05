using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tls.Verification;

/// <summary>Names of the validation steps in the report, in the order OpenSSL (and so libpq) runs them.</summary>
public static class ValidationSteps
{
    public const string Certificate = "certificate";
    public const string Chain = "chain";
    public const string Purpose = "purpose";
    public const string Revocation = "revocation";
    public const string Validity = "validity";
    public const string Hostname = "hostname";

    /// <summary>Only when a certificate is pinned (SqlClient ServerCertificate, JDBC serverCertificate).</summary>
    public const string Pin = "pin";

    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>The outcome of one validation step; <see cref="Failure"/> is set when it failed.</summary>
internal sealed record StepResult(string Step, string Outcome, string Detail, Finding? Failure)
{
    public static StepResult Pass(string step, string detail) => new(step, ValidationSteps.Passed, detail, null);

    public static StepResult Skip(string step, string reason) => new(step, ValidationSteps.Skipped, reason, null);

    public static StepResult Fail(string step, string code, string message, string? detail = null) =>
        new(step, ValidationSteps.Failed, detail ?? message, FindingCatalog.Create(code, message));

    public bool IsSkipped => Outcome == ValidationSteps.Skipped;

    public ValidationStepReport ToReport() => new() { Step = Step, Outcome = Outcome, Detail = Detail };
}

/// <summary>How certificates and dates are named in messages.</summary>
internal static class Describe
{
    public static string Name(X509Certificate2 certificate) => $"\"{certificate.Subject}\"";

    public static string Date(DateTime value) => Date(new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero));

    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
