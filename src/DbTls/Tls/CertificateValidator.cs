using System.Security.Cryptography.X509Certificates;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.HostNames;
using DbTls.Tls.Revocation;
using DbTls.Tls.Trust;
using DbTls.Tls.Verification;

namespace DbTls.Tls;

/// <summary>
/// Validates the server's certificate under a <see cref="TlsPolicy"/>, recording every step. Runs
/// inside SslStream's validation callback, so a failure makes AuthenticateAsClientAsync throw and no
/// application byte is ever sent. (Measured on .NET 10/Linux: SslStream calls the callback after
/// OpenSSL has processed the whole handshake, so the server may see its side complete and then the
/// connection close; no alert is sent.)
/// <para>
/// Steps run in OpenSSL's order (certificate, chain, purpose, revocation, validity, then the host
/// name that libpq checks after the handshake). Every step runs even after a failure so the report
/// shows the whole picture; the first failure decides the finding, as it would for OpenSSL.
/// </para>
/// <para>
/// A pinned certificate adds a "pin" step after them (<see cref="PinCheck"/>), and then the pin decides: under
/// <see cref="VerificationLevel.PinnedCertificate"/> (JDBC) together with the validity dates of the certificates as
/// presented, with chain, purpose and host name not checked; under <see cref="VerificationLevel.ChainAndHostName"/>
/// (SqlClient 7.1, measured) alone, the other steps still run for the report but do not decide.
/// </para>
/// </summary>
internal sealed class CertificateValidator
{
    private readonly TlsPolicy _policy;
    private readonly TlsTarget _target;
    private readonly TrustAnchors? _trust;
    private readonly CrlStore? _crls;
    private readonly IHostNameMatcher _matcher;
    private readonly PinnedCertificate? _pin;
    private readonly StricterVerification? _stricter;
    private readonly List<Finding> _warnings = [];

    public CertificateValidator(TlsPolicy policy, TlsTarget target, TrustAnchors? trust, CrlStore? crls)
    {
        _policy = policy;
        _target = target;
        _trust = trust;
        _crls = crls;
        _matcher = HostNameMatchers.For(policy.HostNameRules);

        // Read before the handshake starts, like every other file the policy names.
        _pin = policy.Verification != VerificationLevel.None && policy.PinnedCertificatePath is { } path ? PinnedCertificate.Load(path) : null;
        _stricter = _pin is null ? StricterVerification.For(policy, trust) : null;
    }

    /// <summary>The first failure, when validation rejected the certificate.</summary>
    public Finding? Failure { get; private set; }

    /// <summary>The certificates as the server sent them, leaf first.</summary>
    public IReadOnlyList<X509Certificate2> Presented { get; private set; } = [];

    /// <summary>The chain as built to a trust anchor (empty when verification is off).</summary>
    public IReadOnlyList<X509Certificate2> Verified { get; private set; } = [];

    /// <summary>Warnings about how the verdict was reached (the driver's chain engine could not be used).</summary>
    public IReadOnlyList<Finding> Warnings => _warnings;

    /// <summary>Whether the callback ran at all (it does not when the handshake fails before the server's Certificate message).</summary>
    public bool Ran { get; private set; }

    public bool Validate(X509Certificate? certificate, X509Chain? presented, HandshakeFacts facts, DateTimeOffset now)
    {
        Ran = true;
        facts.Presented = [];
        facts.Steps.Clear();
        _warnings.Clear();
        var steps = new List<StepResult>();
        var accepted = false;
        try
        {
            accepted = Run(certificate, presented, facts, now, steps);
            return accepted;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A certificate .NET cannot process (malformed extension, unsupported key) must end as a
            // finding, not as an exception escaping from inside SslStream.
            var message = $"the server's certificate could not be processed: {ex.Message}";
            if (_policy.Verification == VerificationLevel.None)
            {
                steps.Add(StepResult.Skip(ValidationSteps.Certificate, $"{message} (accepted: verification is off under this policy)"));
                return true;
            }

            steps.Add(StepResult.Fail(ValidationSteps.Certificate, FindingCodes.CertUntrusted, message));
            return false;
        }
        finally
        {
            var reason = _policy.UnverifiedReason;
            facts.Steps.AddRange(steps.Select(s => reason is not null && s.IsSkipped ? s with { Detail = reason } : s));
            // Under SqlClient's pin only the pin decides, so it names the failure; otherwise the first failed step does.
            var decidingPin = _pin is not null && _policy.Verification != VerificationLevel.PinnedCertificate
                ? steps.FirstOrDefault(s => s.Step == ValidationSteps.Pin)
                : null;
            Failure = accepted ? null : decidingPin?.Failure ?? steps.FirstOrDefault(s => s.Failure is not null)?.Failure;
        }
    }

    /// <summary>
    /// Fills the report when the handshake failed before SslStream called the validation callback
    /// (.NET runs it only once OpenSSL has processed the whole handshake). The server certificate may
    /// still be known from the client-certificate request; its intermediates are not.
    /// </summary>
    public void RecordNotRun(X509Certificate2? serverCertificate, HandshakeFacts facts)
    {
        const string reason = "not run: the handshake failed before the server's certificate chain was handed over for validation";
        var steps = new List<StepResult>();
        if (serverCertificate is not null)
        {
            var leaf = serverCertificate;
            Presented = [leaf];
            facts.Presented = Presented;
            steps.Add(StepResult.Pass(ValidationSteps.Certificate, $"the server presented {Describe.Name(leaf)} (seen with its certificate request; the rest of its chain is not available after a failed handshake)"));
        }
        else
        {
            steps.Add(StepResult.Skip(ValidationSteps.Certificate, reason));
        }

        SkipRest(steps, reason);
        facts.Steps.AddRange(steps);
    }

    private bool Run(X509Certificate? certificate, X509Chain? presented, HandshakeFacts facts, DateTimeOffset now, List<StepResult> steps)
    {
        var verify = _policy.Verification != VerificationLevel.None;
        if (certificate is null)
        {
            steps.Add(verify
                ? StepResult.Fail(ValidationSteps.Certificate, FindingCodes.CertUntrusted, "the server sent no certificate")
                : StepResult.Skip(ValidationSteps.Certificate, "the server sent no certificate (verification is off under this policy)"));
            SkipRest(steps, verify ? "the server sent no certificate" : "verification is off under this policy");
            return !verify;
        }

        var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        Presented = AsPresented(leaf, presented);
        facts.Presented = Presented;
        steps.Add(StepResult.Pass(ValidationSteps.Certificate, $"the server presented {Presented.Count} certificate{(Presented.Count == 1 ? "" : "s")}: {string.Join(" -> ", Presented.Select(Describe.Name))}"));

        if (_policy.Verification == VerificationLevel.PinnedCertificate)
        {
            if (_pin is null)
            {
                steps.Add(StepResult.Fail(ValidationSteps.Pin, FindingCodes.ConfigInvalid, "the policy pins a certificate but names no pinned certificate file"));
                return false;
            }

            return RunPinned(leaf, now, steps);
        }

        if (!verify || _trust is null)
        {
            if (_stricter is null)
            {
                SkipRest(steps, "verification is off under this policy: the certificate is accepted without checks");
                return true;
            }

            // Nothing decides here; the full verification still runs so the report can say what a stricter setting would reject.
            var shadow = _stricter.Trust is { } shadowTrust ? RunChainSteps(leaf, shadowTrust, now, []).Steps : _stricter.WithoutChain(Presented, now);
            shadow.Add(CheckHostName(leaf, always: true));
            steps.AddRange(_stricter.AsNotRequired(shadow));
            AddStricterWarning(shadow);
            return true;
        }

        var (chainSteps, verified) = RunChainSteps(leaf, _trust, now, _warnings);
        steps.AddRange(chainSteps);
        Verified = verified;
        steps.Add(CheckHostName(leaf, always: false));
        if (_pin is null)
        {
            if (_stricter is not null && steps.All(s => s.Failure is null))
            {
                // verify-ca: the chain held; the host name check the policy leaves out still runs for the report.
                var name = CheckHostName(leaf, always: true);
                steps[^1] = _stricter.AsNotRequired([name])[0];
                AddStricterWarning([name]);
            }

            return steps.All(s => s.Failure is null);
        }

        // SqlClient 7.1 compares the pin whenever one is set and lets it alone decide (measured against real SqlClient
        // in SqlClientPinningTests); the steps above stay in the report to show what the pin stood in for.
        var overridden = steps.Where(s => s.Failure is not null).Select(s => s.Step).ToList();
        var pin = PinCheck.Decisive(leaf, _pin, overridden);
        steps.Add(pin);
        return pin.Failure is null;
    }

    /// <summary>Chain, purpose, revocation and validity, as the driver's engine decides them.</summary>
    private (List<StepResult> Steps, IReadOnlyList<X509Certificate2> Verified) RunChainSteps(X509Certificate2 leaf, TrustAnchors trust, DateTimeOffset now, List<Finding> warnings)
    {
        var steps = new List<StepResult>();
        var (chainResult, built) = ChainCheck.Run(leaf, Presented, trust, now);
        steps.Add(chainResult);

        steps.Add(PurposeCheck.Run(built.Certificates));

        steps.Add(_policy.Revocation.Enabled && _crls is not null
            ? RevocationCheck.Run(built.Certificates, _policy.Revocation.Scope, _crls, now)
            : StepResult.Skip(ValidationSteps.Revocation, "no CRL file or directory is configured, so revocation is not checked"));

        steps.Add(ValidityCheck.Run(built.Certificates, now));
        return (steps, DecideWithDriverEngine(steps, trust, now, warnings) ?? built.Certificates);
    }

    private void AddStricterWarning(IReadOnlyList<StepResult> shadow)
    {
        if (_stricter!.Warning(shadow) is { } warning)
        {
            _warnings.Add(warning);
        }
    }

    /// <summary>
    /// JDBC's ServerCertificateX509TrustManager: the validity dates of every certificate as presented, then the pin;
    /// no trust anchor, purpose or host name.
    /// </summary>
    private bool RunPinned(X509Certificate2 leaf, DateTimeOffset now, List<StepResult> steps)
    {
        const string reason = "not checked: the certificate is pinned, and only the pin and the validity dates decide";
        steps.Add(StepResult.Skip(ValidationSteps.Chain, reason));
        steps.Add(StepResult.Skip(ValidationSteps.Purpose, reason));
        steps.Add(StepResult.Skip(ValidationSteps.Revocation, reason));
        steps.Add(ValidityCheck.Run(Presented, now));
        steps.Add(StepResult.Skip(ValidationSteps.Hostname, reason));
        steps.Add(PinCheck.Decisive(leaf, _pin!, []));
        return steps.All(s => s.Failure is null);
    }

    /// <summary>
    /// The steps above are dbtls' own (.NET's path); the driver's TLS library has the last word on them. OpenSSL decides
    /// for OpenSSL-based drivers (see <see cref="OpenSslDecision"/>); for the others .NET decides and the step says in
    /// whose place.
    /// </summary>
    /// <returns>The path the driver's engine built, when it is not .NET's.</returns>
    private IReadOnlyList<X509Certificate2>? DecideWithDriverEngine(List<StepResult> steps, TrustAnchors trust, DateTimeOffset now, List<Finding> warnings)
    {
        switch (_policy.ChainEngine)
        {
            case ChainEngine.OpenSsl when _policy.Trust is not TrustSource.Pkcs12Store:
                return OpenSslDecision.Apply(steps, Presented, _policy, trust, now, warnings);
            case ChainEngine.JavaPkix or ChainEngine.GnuTls:
                var engine = _policy.ChainEngine == ChainEngine.JavaPkix ? "Java's PKIX" : "GnuTLS's";
                var index = steps.FindIndex(s => s.Step == ValidationSteps.Chain);
                steps[index] = steps[index] with
                {
                    Detail = $"{steps[index].Detail} [decided by .NET's chain engine in place of the driver's ({engine}); both search other paths when one fails, but may prefer a different one with cross-signed certificates]",
                };
                break;
        }

        return null;
    }

    /// <param name="always">Check even when the policy does not ask for it (what a stricter setting would do).</param>
    private StepResult CheckHostName(X509Certificate2 leaf, bool always)
    {
        if (!always && _policy.Verification != VerificationLevel.ChainAndHostName)
        {
            return StepResult.Skip(ValidationSteps.Hostname, "host-name verification is off under this policy (only the chain is verified)");
        }

        var name = _policy.ExpectedHostName ?? _target.HostName;
        if (string.IsNullOrEmpty(name))
        {
            return StepResult.Fail(ValidationSteps.Hostname, FindingCodes.ConfigInvalid, "host name must be specified for a verified SSL connection");
        }

        var result = _matcher.Match(leaf, _target.HostName, _policy.ExpectedHostName);
        var rules = $"{_matcher.Name} rules{(_policy.ExpectedHostName is null ? "" : ", expected host name from the policy")}";
        if (result.IsMatch)
        {
            return StepResult.Pass(ValidationSteps.Hostname, $"{result.Message} [{rules}]");
        }

        var examined = result.NamesExamined.Count == 0 ? "" : $"; names examined: {string.Join(", ", result.NamesExamined)}";
        return StepResult.Fail(ValidationSteps.Hostname, result.FailureCode ?? FindingCodes.CertHostnameMismatch, result.Message, $"{result.Message} [{rules}{examined}]");
    }

    /// <summary>
    /// On Linux SslStream hands over the peer's certificate list (SSL_get_peer_cert_chain, leaf
    /// included, in wire order) as the callback chain's ExtraStore; that is the chain as presented.
    /// </summary>
    private static List<X509Certificate2> AsPresented(X509Certificate2 leaf, X509Chain? presented)
    {
        var list = presented?.ChainPolicy.ExtraStore.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToList() ?? [];
        if (list.Count == 0 || !list[0].RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
        {
            list.Insert(0, leaf); // the first certificate on the wire is the leaf by definition
        }

        return list;
    }

    private void SkipRest(List<StepResult> steps, string reason)
    {
        foreach (var step in new[] { ValidationSteps.Chain, ValidationSteps.Purpose, ValidationSteps.Revocation, ValidationSteps.Validity, ValidationSteps.Hostname })
        {
            steps.Add(StepResult.Skip(step, reason));
        }

        if (_pin is not null)
        {
            steps.Add(StepResult.Skip(ValidationSteps.Pin, reason));
        }
    }
}
