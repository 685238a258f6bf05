using DbTls.Dialects;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Conversion;

/// <summary>
/// The original's policy against the converted string's, as the target dialect itself reads it back, field by field.
/// This is the check that no conversion is silently weaker: whatever a renderer believes, a field that lost
/// protection shows up here.
/// </summary>
public static class PolicyComparison
{
    public static IReadOnlyList<ConversionNote> Compare(ConnectionDescription source, ConnectionDescription target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var notes = new List<ConversionNote>();
        var (a, b) = (source.Tls, target.Tls);
        void Note(string setting, ConversionEffect effect, string message) => notes.Add(new ConversionNote(setting, effect, message));

        Ranked(notes, "encryption", Rank(a.Encryption), Rank(b.Encryption), $"{a.Encryption} becomes {b.Encryption}");
        if (a.Encryption == EncryptionMode.Opportunistic && b.Encryption == EncryptionMode.Opportunistic && a.FallBackOnHandshakeFailure != b.FallBackOnHandshakeFailure)
        {
            Note("encryption", b.FallBackOnHandshakeFailure ? ConversionEffect.Weaker : ConversionEffect.Stronger,
                b.FallBackOnHandshakeFailure ? "the target also falls back to plaintext when the handshake or the certificate check fails" : "the target no longer falls back after a failed handshake");
        }

        if (a.Verification != b.Verification)
        {
            if (a.Verification == VerificationLevel.PinnedCertificate || b.Verification == VerificationLevel.PinnedCertificate)
            {
                Note("verification", ConversionEffect.Different, $"verification {a.Verification} becomes {b.Verification}");
            }
            else
            {
                Ranked(notes, "verification", (int)a.Verification, (int)b.Verification, $"verification {a.Verification} becomes {b.Verification}");
            }
        }

        if (a.Verification != VerificationLevel.None && b.Verification != VerificationLevel.None)
        {
            CompareVerified(a, b, source.Dialect, target.Dialect, notes);
        }

        if (a.PinnedCertificatePath is not null && b.PinnedCertificatePath is null)
        {
            Note("pinned certificate", ConversionEffect.Weaker, $"the pin on {a.PinnedCertificatePath} is lost");
        }

        if (a.MinProtocol is { } minA && b.MinProtocol is { } minB && minA != minB)
        {
            Ranked(notes, "tls versions", (int)minA, (int)minB, $"the lowest TLS version {minA.ToDisplay()} becomes {minB.ToDisplay()}");
        }

        // No maximum means the newest version the TLS library speaks (TLS 1.3 everywhere dbtls runs).
        var (maxA, maxB) = (a.MaxProtocol ?? TlsProtocolVersion.Tls13, b.MaxProtocol ?? TlsProtocolVersion.Tls13);
        if (maxA != maxB)
        {
            Note("tls versions", ConversionEffect.Different, $"the highest TLS version {maxA.ToDisplay()} becomes {maxB.ToDisplay()}");
        }

        if (a.ClientCertificate?.CertificatePath != b.ClientCertificate?.CertificatePath)
        {
            Note("client certificate", ConversionEffect.Different, $"client certificate {a.ClientCertificate?.CertificatePath ?? "none"} becomes {b.ClientCertificate?.CertificatePath ?? "none"}");
        }

        if (a.SendSni != b.SendSni)
        {
            Note("sni", ConversionEffect.Different, b.SendSni ? "the target sends the host name in SNI" : "the target sends no SNI");
        }

        if (source.ServerAnswers is { } before && target.ServerAnswers is { } after)
        {
            CompareAnswers(before, after, notes);
        }

        return notes;
    }

    private static void CompareVerified(TlsPolicy a, TlsPolicy b, string from, string to, List<ConversionNote> notes)
    {
        if (a.Trust != b.Trust)
        {
            var weaker = b.Trust is TrustSource.SystemStore;
            notes.Add(new("trust", weaker ? ConversionEffect.Weaker : ConversionEffect.Different, $"trusted roots {a.Trust.Describe()} become {b.Trust.Describe()}"));
        }

        if (a.ExpectedHostName != b.ExpectedHostName)
        {
            notes.Add(new("host name", ConversionEffect.Different, $"the name checked in the certificate {a.ExpectedHostName ?? "(the host)"} becomes {b.ExpectedHostName ?? "(the host)"}"));
        }

        if (a.Verification == VerificationLevel.ChainAndHostName && a.HostNameRules != b.HostNameRules)
        {
            notes.Add(new("host-name rules", ConversionEffect.Different, $"host names are matched by {to}'s rules ({b.HostNameRules}) instead of {from}'s ({a.HostNameRules}): wildcards and the CN fallback differ (see docs/explain.md)"));
        }

        if (a.ChainEngine != b.ChainEngine)
        {
            notes.Add(new("chain engine", ConversionEffect.Different, $"the chain is built by {b.ChainEngine} instead of {a.ChainEngine}; trust files with cross-signed certificates may be judged differently"));
        }

        if (a.Revocation.Enabled && !b.Revocation.Enabled)
        {
            notes.Add(new("crl", ConversionEffect.Weaker, "CRL checking is lost"));
        }
        else if (a.Revocation.Enabled && a.Revocation.Scope != b.Revocation.Scope)
        {
            notes.Add(new("crl", ConversionEffect.Different, $"CRL scope {a.Revocation.Scope} becomes {b.Revocation.Scope}"));
        }

        if (a.Revocation.Ocsp.Enabled && !b.Revocation.Ocsp.Enabled)
        {
            notes.Add(new("ocsp", ConversionEffect.Weaker, "OCSP checking is lost"));
        }
    }

    /// <summary>Row by row: a server answer that now leads to less protection is a loss, whatever else matches.</summary>
    private static void CompareAnswers(TdsServerAnswerTable before, TdsServerAnswerTable after, List<ConversionNote> notes)
    {
        foreach (var (answer, name) in Explain.TdsAnswerExplainer.Answers)
        {
            var (x, y) = (before.For(answer), after.For(answer));
            if (x.Action != y.Action || x.VerifiesCertificate != y.VerifiesCertificate)
            {
                Ranked(notes, "server answer " + name, Rank(x, before), Rank(y, after),
                    $"when the server answers {name}: {Explain.TdsAnswerExplainer.Action(x)} becomes {Explain.TdsAnswerExplainer.Action(y)}");
            }
        }
    }

    private static void Ranked(List<ConversionNote> notes, string setting, int before, int after, string message)
    {
        if (before != after)
        {
            notes.Add(new(setting, after < before ? ConversionEffect.Weaker : ConversionEffect.Stronger, message));
        }
    }

    private static int Rank(EncryptionMode mode) => mode switch
    {
        EncryptionMode.Disabled => 0,
        EncryptionMode.Opportunistic => 1,
        EncryptionMode.Required => 2,
        _ => 3,
    };

    /// <summary>
    /// Plaintext &lt; login-only &lt; full TLS, unverified below verified. A refusal ranks with the best row of its own table:
    /// an attacker who picks the answer never picks one that is refused, so refusing where another driver connects
    /// protects nothing more than the driver's best row.
    /// </summary>
    private static int Rank(TdsAnswerRule rule, TdsServerAnswerTable table) => rule.Action == TdsAnswerAction.Fail
        ? Explain.TdsAnswerExplainer.Answers.Select(a => table.For(a.Answer)).Where(r => r.Action != TdsAnswerAction.Fail).Select(Rank).DefaultIfEmpty(4).Max()
        : Rank(rule);

    private static int Rank(TdsAnswerRule rule) => rule.Action switch
    {
        TdsAnswerAction.Plaintext => 0,
        TdsAnswerAction.LoginOnly => rule.VerifiesCertificate ? 2 : 1,
        TdsAnswerAction.Encrypt => rule.VerifiesCertificate ? 4 : 3,
        _ => 4,
    };
}
