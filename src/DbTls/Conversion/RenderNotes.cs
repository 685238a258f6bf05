using System.Collections.Immutable;
using DbTls.Dialects;
using DbTls.Policy;

namespace DbTls.Conversion;

/// <summary>
/// What every renderer needs while it writes a policy in its dialect: the notes for settings it cannot express,
/// and the wording shared between dialects, so each renderer only says what its driver lacks.
/// </summary>
internal sealed class RenderNotes
{
    /// <summary>What stands for the password in a converted string: secrets are never copied.</summary>
    public const string PasswordPlaceholder = "<password>";

    private readonly ImmutableArray<ConversionNote>.Builder _notes = ImmutableArray.CreateBuilder<ConversionNote>();

    public void Add(string setting, ConversionEffect effect, string message) => _notes.Add(new ConversionNote(setting, effect, message));

    public ImmutableArray<ConversionNote> ToImmutable() => _notes.ToImmutable();

    /// <summary>The password is left out or replaced by <see cref="PasswordPlaceholder"/>; the user fills it in.</summary>
    public void Password(ConnectionDescription source, string howToGive)
    {
        if (source.HasPassword)
        {
            Add("password", ConversionEffect.ManualStep, $"the password is not copied; {howToGive}");
        }
    }

    /// <summary>A pinned certificate in a driver that has none: the nearest is chain verification, which trusts a CA instead of one certificate.</summary>
    public void NoPin(TlsPolicy policy, string target, string nearest)
    {
        if (policy.PinnedCertificatePath is not null)
        {
            Add("pinned certificate", ConversionEffect.Weaker, $"{target} cannot pin the server's certificate ({policy.PinnedCertificatePath}); nearest is {nearest}, which is weaker because any certificate the trusted CA issues for the name is accepted");
        }
    }

    /// <summary>OCSP checking in a driver that does none.</summary>
    public void NoOcsp(TlsPolicy policy, string target)
    {
        if (policy.Revocation.Ocsp.Enabled)
        {
            Add("ocsp", ConversionEffect.Weaker, $"{target} does not check OCSP; a revoked server certificate is accepted unless a CRL lists it");
        }
    }

    /// <summary>A client certificate in a driver that sends none.</summary>
    public void NoClientCertificate(TlsPolicy policy, string target)
    {
        if (policy.ClientCertificate is not null)
        {
            Add("client certificate", ConversionEffect.Different, $"{target} sends no client certificate ({policy.ClientCertificate.CertificatePath} is dropped): a server that requires one refuses the connection");
        }
    }

    /// <summary>CRLs in a driver that loads none.</summary>
    public void NoCrl(TlsPolicy policy, string target)
    {
        if (policy.Revocation.Enabled)
        {
            Add("crl", ConversionEffect.Weaker, $"{target} loads no CRL ({string.Join(", ", policy.Revocation.CrlFiles.Concat(policy.Revocation.CrlDirectories))} is dropped): a revoked server certificate is accepted");
        }
    }
}
