using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tls.Verification;
using Org.BouncyCastle.X509;

namespace DbTls.Tls.Revocation;

/// <summary>The OCSP step's result: the step for the report, warnings for the session, and the structured report.</summary>
internal sealed record OcspOutcome(StepResult Step, IReadOnlyList<Finding> Warnings, OcspReport Report);

/// <summary>
/// The MongoDB OCSP specification's "Suggested OCSP Behavior" for the server's own certificate, in its order:
/// <list type="number">
/// <item>Must-Staple certificate and no staple: fail.</item>
/// <item>A staple that does not cover the certificate or is invalid (RFC 6960 3.2): fail. Revoked: fail. Good: done.
/// (Unknown is not conclusive, so the next steps still run.)</item>
/// <item>A cached conclusive answer decides.</item>
/// <item>A user CRL that passed for the certificate decides (the CRL step already ran in the validator).</item>
/// <item>Unless switched off (tlsDisableOCSPEndpointCheck), the responders in the AIA extension are asked:
/// good or revoked decides.</item>
/// <item>Otherwise the status stays unconfirmed: a warning under soft fail (the default), a failure under hard fail.</item>
/// </list>
/// </summary>
internal static class OcspCheck
{
    public const string Step = "ocsp";

    public static async Task<OcspOutcome> RunAsync(OcspPolicy policy, X509Certificate2 leaf, X509Certificate2? issuer, StapleProbeResult probe,
        bool settledByCrl, OcspCache cache, Func<DateTimeOffset> clock, CancellationToken cancellationToken)
    {
        var report = new OcspReport { Stapled = probe.Completed ? probe.Staple is not null : null };
        var parser = new X509CertificateParser();
        var subject = parser.ReadCertificate(leaf.RawData);
        report.MustStaple = OcspCertificateInfo.IsMustStaple(subject);
        var notes = new List<string> { probe.Detail };
        if (issuer is null)
        {
            return Unconfirmed(policy, report, notes, "the issuer of the server certificate is not known, so no OCSP request can be formed", FindingCodes.TlsOcspUnknown);
        }

        var bcIssuer = parser.ReadCertificate(issuer.RawData);
        var id = OcspCertificateInfo.CertId(subject, bcIssuer);
        var key = OcspCertificateInfo.CacheKey(id);
        var unknownSeen = false;

        if (probe is { Completed: true, Staple: { } staple })
        {
            var verification = OcspResponseVerifier.Verify(staple, subject, bcIssuer, clock());
            if (verification.Answer is not { } stapled)
            {
                return Fail(report, notes, FindingCodes.TlsOcspInvalid, $"the stapled OCSP response is invalid: {verification.Problem}");
            }

            Fill(report, stapled, OcspSource.Stapled);
            cache.Put(key, stapled);
            if (Decided(report, notes, stapled, OcspSource.Stapled) is { } decided)
            {
                return decided;
            }

            unknownSeen = true;
            notes.Add($"the stapled response says \"unknown\" (signed by {stapled.Signer}), which settles nothing");
        }
        else if (probe.Completed && report.MustStaple)
        {
            return Fail(report, notes, FindingCodes.TlsOcspMustStapleMissing,
                "the server certificate is Must-Staple (TLS feature status_request) but the server stapled no OCSP response");
        }
        else if (!probe.Completed && report.MustStaple)
        {
            notes.Add("the certificate is Must-Staple, but whether the server staples could not be seen");
        }

        if (cache.Get(key, clock()) is { } cached)
        {
            Fill(report, cached, OcspSource.Cache);
            notes.Add("answer taken from the in-process OCSP cache (no request made)");
            return Decided(report, notes, cached, OcspSource.Cache)!;
        }

        if (settledByCrl)
        {
            notes.Add("the server certificate's status was confirmed by the configured CRL, so no responder is asked");
            return new OcspOutcome(StepResult.Skip(Step, Join(notes)), [], report);
        }

        if (!policy.QueryResponder)
        {
            notes.Add("the OCSP responder is not asked (endpoint check disabled, e.g. tlsDisableOCSPEndpointCheck=true)");
            return unknownSeen
                ? Unconfirmed(policy, report, notes, "the stapled response says the status is unknown", FindingCodes.TlsOcspUnknown)
                : Unconfirmed(policy, report, notes, null, null);
        }

        var urls = OcspCertificateInfo.ResponderUrls(subject);
        if (urls.Count == 0)
        {
            notes.Add("the certificate names no http OCSP responder (Authority Information Access)");
            return unknownSeen
                ? Unconfirmed(policy, report, notes, "the stapled response says the status is unknown", FindingCodes.TlsOcspUnknown)
                : Unconfirmed(policy, report, notes, null, null);
        }

        var answers = await OcspResponderClient.QueryAsync(urls, id, subject, bcIssuer, policy.ResponderTimeout, clock, cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            report.Responder ??= answer.Url.ToString();
            if (answer.Verification?.Answer is { IsConclusive: true } conclusive)
            {
                report.Responder = answer.Url.ToString();
                Fill(report, conclusive, OcspSource.Responder);
                cache.Put(key, conclusive);
                return Decided(report, notes, conclusive, OcspSource.Responder)!;
            }
        }

        var problems = answers.Select(a => $"{a.Url}: {a.Failure ?? a.Verification?.Problem ?? "status unknown"}").ToList();
        var unknownAnswer = answers.Select(a => a.Verification?.Answer).FirstOrDefault(a => a is { Status: OcspCertStatus.Unknown });
        if (unknownAnswer is not null)
        {
            Fill(report, unknownAnswer, OcspSource.Responder);
        }

        return unknownAnswer is not null || unknownSeen
            ? Unconfirmed(policy, report, notes, $"the OCSP status of the server certificate is unknown ({string.Join("; ", problems)})", FindingCodes.TlsOcspUnknown)
            : Unconfirmed(policy, report, notes, $"no usable answer from the OCSP responder ({string.Join("; ", problems)})", FindingCodes.TlsOcspResponderUnreachable);
    }

    /// <summary>The step for a conclusive answer; null for "unknown".</summary>
    private static OcspOutcome? Decided(OcspReport report, List<string> notes, OcspAnswer answer, OcspSource source)
    {
        var from = source switch
        {
            OcspSource.Stapled => "stapled response",
            OcspSource.Cache => "cached response",
            _ => $"responder {report.Responder}",
        };
        var window = $"thisUpdate {Describe.Date(answer.ThisUpdate)}, nextUpdate {(answer.NextUpdate is { } n ? Describe.Date(n) : "not set")}";
        switch (answer.Status)
        {
            case OcspCertStatus.Good:
                notes.Add($"good per the {from}, signed by {answer.Signer} ({window})");
                return new OcspOutcome(StepResult.Pass(Step, Join(notes)), [], report);
            case OcspCertStatus.Revoked:
                var reason = answer.RevocationReason is null ? "" : $", reason {answer.RevocationReason}";
                var when = answer.RevocationTime is { } t ? $" on {Describe.Date(t)}" : "";
                return Fail(report, notes, FindingCodes.TlsOcspRevoked, $"the server certificate was revoked{when}{reason}, per the {from} signed by {answer.Signer} ({window})");
            default:
                return null;
        }
    }

    private static OcspOutcome Fail(OcspReport report, List<string> notes, string code, string message)
    {
        notes.Add(message);
        return new OcspOutcome(StepResult.Fail(Step, code, message, Join(notes)), [], report);
    }

    /// <summary>No conclusive answer: soft fail warns (when there is something to warn about), hard fail fails.</summary>
    private static OcspOutcome Unconfirmed(OcspPolicy policy, OcspReport report, List<string> notes, string? problem, string? code)
    {
        if (policy.HardFail)
        {
            // The two codes are warnings in the catalogue (soft fail is the default); under hard fail they end the connection.
            var message = $"{problem ?? "the OCSP status of the server certificate could not be confirmed"} (hard fail)";
            notes.Add(message);
            var failure = FindingCatalog.Create(code ?? FindingCodes.TlsOcspResponderUnreachable, message, severity: Severity.Error);
            return new OcspOutcome(new StepResult(Step, ValidationSteps.Failed, Join(notes), failure), [], report);
        }

        if (problem is null || code is null)
        {
            notes.Add("revocation status not confirmed; accepted (soft fail)");
            return new OcspOutcome(StepResult.Skip(Step, Join(notes)), [], report);
        }

        notes.Add($"{problem}; accepted (soft fail)");
        return new OcspOutcome(StepResult.Skip(Step, Join(notes)), [FindingCatalog.Create(code, $"{problem}; the connection was accepted (soft fail)")], report);
    }

    private static void Fill(OcspReport report, OcspAnswer answer, OcspSource source)
    {
        report.Source = source switch { OcspSource.Stapled => "stapled", OcspSource.Cache => "cache", _ => "responder" };
        report.Status = answer.Status switch { OcspCertStatus.Good => "good", OcspCertStatus.Revoked => "revoked", _ => "unknown" };
        report.ThisUpdate = answer.ThisUpdate;
        report.NextUpdate = answer.NextUpdate;
        report.RevocationTime = answer.RevocationTime;
        report.RevocationReason = answer.RevocationReason;
    }

    private static string Join(List<string> notes) => string.Join("; ", notes);

    /// <summary>The issuer of the leaf in the verified chain (the leaf itself when it is a self-issued trust anchor).</summary>
    public static X509Certificate2? IssuerOf(IReadOnlyList<X509Certificate2> verified) =>
        verified.Count > 1 ? verified[1] : verified.Count == 1 && Describe.IsSelfIssued(verified[0]) ? verified[0] : null;
}
