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

    /// <summary>
    /// The password is left out or replaced by <see cref="PasswordPlaceholder"/> and the user fills it in; or, when the
    /// converter kept it (<c>convert --include-password</c>), the renderer wrote it and this says so.
    /// </summary>
    public void Password(ConnectionDescription source, string howToGive)
    {
        if (source.Password is not null)
        {
            Add("password", ConversionEffect.Different, "the password is included, as asked (--include-password): keep the converted string as secret as the password itself");
        }
        else if (source.HasPassword)
        {
            Add("password", ConversionEffect.ManualStep, $"the password is not copied; {howToGive}");
        }
    }

    /// <summary>What a renderer writes for the password: the password itself when the converter kept it, else <see cref="PasswordPlaceholder"/>; the renderer quotes it as its syntax needs.</summary>
    public static string PasswordText(ConnectionDescription description) => description.Password?.Reveal() ?? PasswordPlaceholder;

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

    /// <summary>
    /// The one PEM file to name for a driver that reads trusted roots from a single PEM file; a directory or a PKCS#12
    /// store becomes a file the user has to make (a manual step). Null for the system store.
    /// </summary>
    public string? SinglePemFile(TrustSource trust, string target, string setting)
    {
        switch (trust)
        {
            case TrustSource.PemFile file:
                return file.Path;
            case TrustSource.PemDirectory directory:
                Add(setting, ConversionEffect.ManualStep, $"{target} reads trusted roots from one file, not a directory: concatenate the PEM files of {directory.Path} into {directory.Path}/root.crt");
                return directory.Path + "/root.crt";
            case TrustSource.Pkcs12Store store:
                Add(setting, ConversionEffect.ManualStep, $"{target} reads PEM, not PKCS#12: export the trusted certificates with 'openssl pkcs12 -in {store.Path} -nokeys -out {store.Path}.pem'");
                return store.Path + ".pem";
            default:
                return null;
        }
    }

    /// <summary>TLS versions in a driver that has no setting for them and offers what its TLS library allows (TLS 1.2 and 1.3 here).</summary>
    public void NoVersionSetting(TlsPolicy policy, string target)
    {
        if (policy.MinProtocol is < TlsProtocolVersion.Tls12)
        {
            Add("tls versions", ConversionEffect.Stronger, $"{target} has no setting for TLS versions and offers TLS 1.2 and later; the original enabled {policy.MinProtocol.Value.ToDisplay()}");
        }
        else if (policy.MinProtocol is TlsProtocolVersion.Tls13)
        {
            Add("tls versions", ConversionEffect.Weaker, $"{target} has no setting for TLS versions and cannot refuse TLS 1.2; the original required TLS 1.3");
        }

        if (policy.MaxProtocol is { } max && max < TlsProtocolVersion.Tls13)
        {
            Add("tls versions", ConversionEffect.Different, $"{target} cannot cap the TLS version at {max.ToDisplay()}; it offers up to TLS 1.3 where the server has it");
        }
    }
}
