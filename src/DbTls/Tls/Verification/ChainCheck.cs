using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Tls.Trust;

namespace DbTls.Tls.Verification;

/// <summary>The chain as built for verification, leaf first, and whether it reached a trust anchor.</summary>
internal sealed record BuiltChain(IReadOnlyList<X509Certificate2> Certificates, bool Trusted);

/// <summary>
/// Builds the path from the server certificate to a trust anchor with <see cref="X509Chain"/> (the
/// peer's extra certificates as untrusted intermediates, no downloads, no revocation) and reports
/// failures in OpenSSL's words. Time validity and key usage are left to their own steps, so only
/// path problems fail here. Like OpenSSL without X509_V_FLAG_PARTIAL_CHAIN, a path must end at a
/// self-signed anchor: .NET's CustomRootTrust behaves the same way (a trusted intermediate alone gives
/// PartialChain), which the tests pin down.
/// <para>
/// .NET is not OpenSSL, though: it puts only the file's self-issued certificates in the trusted store and treats the
/// others as untrusted intermediates, so it finds paths (around a cross-signed certificate listed before its root)
/// that OpenSSL never builds. For OpenSSL-based drivers this step is therefore only the explanation, and
/// <see cref="OpenSslDecision"/> lets OpenSSL's own verdict decide.
/// </para>
/// </summary>
internal static class ChainCheck
{
    private const X509ChainStatusFlags NotPathProblems =
        X509ChainStatusFlags.NoError
        | X509ChainStatusFlags.NotTimeValid
        | X509ChainStatusFlags.NotTimeNested
        | X509ChainStatusFlags.CtlNotTimeValid
        | X509ChainStatusFlags.NotValidForUsage
        | X509ChainStatusFlags.CtlNotValidForUsage
        | X509ChainStatusFlags.RevocationStatusUnknown
        | X509ChainStatusFlags.OfflineRevocation
        | X509ChainStatusFlags.Revoked;

    public static (StepResult Result, BuiltChain Chain) Run(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> presented, TrustAnchors trust, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        foreach (var extra in presented.Skip(1))
        {
            policy.ExtraStore.Add(extra);
        }

        if (!trust.UseSystem)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(trust.Certificates);
        }

        chain.Build(leaf);
        var elements = chain.ChainElements.Select(e => X509CertificateLoader.LoadCertificate(e.Certificate.RawData)).ToList();
        var problems = chain.ChainElements
            .Select((element, index) => (index, status: element.ChainElementStatus.Where(s => (s.Status & ~NotPathProblems) != 0).ToList()))
            .Where(p => p.status.Count > 0)
            .ToList();
        var overall = chain.ChainStatus.Where(s => (s.Status & ~NotPathProblems) != 0).ToList();

        if (problems.Count == 0 && overall.Count == 0)
        {
            var root = elements[^1];
            var detail = $"chain of {elements.Count} certificate{(elements.Count == 1 ? "" : "s")} ends at trusted root {Describe.Name(root)} from {trust.Description}";
            return (StepResult.Pass(ValidationSteps.Chain, AppendNotes(detail, trust)), new BuiltChain(elements, true));
        }

        var message = Explain(elements, problems, overall, trust);
        var path = string.Join(" -> ", elements.Select(Describe.Name));
        var failure = StepResult.Fail(ValidationSteps.Chain, FindingCodes.CertUntrusted, $"certificate verify failed: {message}", AppendNotes($"{message} (path built: {path}; trust: {trust.Description})", trust));
        return (failure, new BuiltChain(elements, false));
    }

    private static string Explain(List<X509Certificate2> elements, List<(int Index, List<X509ChainStatus> Status)> problems, List<X509ChainStatus> overall, TrustAnchors trust)
    {
        var last = elements[^1];
        var flags = problems.SelectMany(p => p.Status).Concat(overall).Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);

        X509Certificate2 At(X509ChainStatusFlags flag) =>
            problems.Where(p => p.Status.Any(s => (s.Status & flag) != 0)).Select(p => elements[p.Index]).FirstOrDefault() ?? last;

        if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
        {
            return $"certificate signature failure for {Describe.Name(At(X509ChainStatusFlags.NotSignatureValid))}";
        }

        if ((flags & X509ChainStatusFlags.InvalidBasicConstraints) != 0)
        {
            return $"invalid CA certificate {Describe.Name(At(X509ChainStatusFlags.InvalidBasicConstraints))} (basic constraints do not allow it to issue certificates, or the path is too long)";
        }

        if ((flags & X509ChainStatusFlags.PartialChain) != 0)
        {
            if (trust.Contains(last) && !Describe.IsSelfIssued(last))
            {
                return $"unable to get issuer certificate for {Describe.Name(last)}: it is in {trust.Description} but is not a self-signed root, and partial chains are not accepted (add its issuer \"{last.Issuer}\" up to the root)";
            }

            return $"unable to get local issuer certificate for {Describe.Name(last)}: its issuer \"{last.Issuer}\" was neither sent by the server nor found in {trust.Description}";
        }

        if ((flags & X509ChainStatusFlags.UntrustedRoot) != 0)
        {
            return elements.Count == 1
                ? $"self-signed certificate {Describe.Name(last)} is not in {trust.Description}"
                : $"self-signed certificate in certificate chain: root {Describe.Name(last)} is not in {trust.Description}";
        }

        if ((flags & X509ChainStatusFlags.ExplicitDistrust) != 0)
        {
            return $"certificate rejected: {Describe.Name(At(X509ChainStatusFlags.ExplicitDistrust))} is explicitly distrusted";
        }

        var all = problems.SelectMany(p => p.Status.Select(s => $"{s.StatusInformation.Trim()} ({Describe.Name(elements[p.Index])})"))
            .Concat(overall.Select(s => s.StatusInformation.Trim()))
            .Distinct(StringComparer.Ordinal);
        return string.Join("; ", all);
    }

    private static string AppendNotes(string detail, TrustAnchors trust) =>
        trust.Notes.Count == 0 ? detail : $"{detail} [{string.Join("; ", trust.Notes)}]";
}
