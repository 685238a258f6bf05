using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tls.Trust;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;

namespace DbTls.Tls.ClientCertificates;

/// <summary>A client certificate with its private key, and the further certificates of its file (sent as the chain, as libpq does).</summary>
internal sealed record LoadedClientCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain, string Description);

/// <summary>
/// Loads a client certificate and key from PEM or DER files the way OpenSSL-based drivers accept
/// them: PKCS#1 / SEC1 / PKCS#8 keys, encrypted PKCS#8 (ENCRYPTED PRIVATE KEY) and legacy OpenSSL
/// encrypted PEM (Proc-Type: 4,ENCRYPTED). PEM keys are read with BouncyCastle's PemReader, which
/// handles both encryption schemes. Errors are config.invalid and never include the password.
/// </summary>
internal static class ClientCertificateLoader
{
    public static LoadedClientCertificate Load(ClientCertificateSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var certificates = CertificateFile.Parse(CertificateFile.ReadBounded(source.CertificatePath, "certificate file"), out var error);
        if (certificates.Count == 0)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not read certificate file \"{source.CertificatePath}\": no certificate found{(error is null ? "" : $" ({error})")}");
        }

        var keyPath = source.KeyPath ?? source.CertificatePath;
        var pkcs8 = ReadPrivateKey(CertificateFile.ReadBounded(keyPath, "private key file"), keyPath, source.KeyPassword);
        var leaf = certificates[0];
        X509Certificate2 withKey;
        try
        {
            withKey = Attach(leaf, pkcs8, keyPath);
        }
        catch (ArgumentException ex)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"certificate does not match private key file \"{keyPath}\"", inner: ex);
        }
        catch (CryptographicException ex)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not load private key file \"{keyPath}\": {ex.Message}", inner: ex);
        }

        var chain = new X509Certificate2Collection();
        chain.AddRange(certificates.Skip(1).ToArray());
        var description = $"{leaf.Subject} from \"{source.CertificatePath}\"{(chain.Count > 0 ? $" with {chain.Count} chain certificate(s)" : "")}";
        return new LoadedClientCertificate(withKey, chain, description);
    }

    /// <summary>The private key as unencrypted PKCS#8 DER.</summary>
    private static byte[] ReadPrivateKey(byte[] bytes, string path, Secret? password)
    {
        if (CertificateFile.LooksLikePem(bytes))
        {
            return ReadPemKey(Encoding.ASCII.GetString(bytes), path, password);
        }

        return ReadDerKey(bytes, path, password);
    }

    private static byte[] ReadPemKey(string text, string path, Secret? password)
    {
        var finder = new SecretPasswordFinder(password);
        var reader = new PemReader(new StringReader(text), finder);
        var sawEncrypted = text.Contains("ENCRYPTED", StringComparison.Ordinal);
        try
        {
            while (reader.ReadObject() is { } item)
            {
                var key = item switch
                {
                    AsymmetricCipherKeyPair pair => pair.Private,
                    AsymmetricKeyParameter { IsPrivate: true } single => single,
                    _ => null,
                };
                if (key is not null)
                {
                    return PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();
                }
            }
        }
        catch (PasswordException ex)
        {
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"private key file \"{path}\" is encrypted and no password was given (libpq: sslpassword)", inner: ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not DbTlsException)
        {
            // BouncyCastle reports a wrong password as a padding, cipher or ASN.1 error.
            var why = sawEncrypted
                ? (password is null ? "it is encrypted and no password was given" : "wrong password, or the key is damaged")
                : "it is not a valid private key";
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not load private key file \"{path}\": {why}", inner: ex);
        }

        throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not load private key file \"{path}\": no private key found");
    }

    private static byte[] ReadDerKey(byte[] der, string path, Secret? password)
    {
        // Unencrypted PKCS#8, then PKCS#1 RSA and SEC1 EC, then encrypted PKCS#8.
        foreach (var attempt in new Func<byte[], byte[]?>[] { TryPkcs8, TryRsa, TryEc })
        {
            if (attempt(der) is { } pkcs8)
            {
                return pkcs8;
            }
        }

        try
        {
            var info = Org.BouncyCastle.Asn1.Pkcs.EncryptedPrivateKeyInfo.GetInstance(der);
            if (password is null)
            {
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"private key file \"{path}\" is encrypted and no password was given (libpq: sslpassword)");
            }

            return PrivateKeyInfoFactory.CreatePrivateKeyInfo(password.Reveal().ToCharArray(), info).GetDerEncoded();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not DbTlsException)
        {
            var why = password is null ? "it is not a private key in PEM or DER form" : "it is not a private key in PEM or DER form, or the password is wrong";
            throw new DbTlsException(FindingCodes.ConfigInvalid, $"could not load private key file \"{path}\": {why}", inner: ex);
        }
    }

    private static byte[]? TryPkcs8(byte[] der) => Try(() =>
    {
        Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(der);
        return der;
    });

    private static byte[]? TryRsa(byte[] der) => Try(() =>
    {
        using var rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(der, out var read);
        return read == der.Length ? rsa.ExportPkcs8PrivateKey() : null;
    });

    private static byte[]? TryEc(byte[] der) => Try(() =>
    {
        using var ec = ECDsa.Create();
        ec.ImportECPrivateKey(der, out var read);
        return read == der.Length ? ec.ExportPkcs8PrivateKey() : null;
    });

    private static byte[]? Try(Func<byte[]?> attempt)
    {
        try
        {
            return attempt();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static X509Certificate2 Attach(X509Certificate2 certificate, byte[] pkcs8, string keyPath)
    {
        var algorithm = certificate.PublicKey.Oid.Value;
        switch (algorithm)
        {
            case "1.2.840.113549.1.1.1": // rsaEncryption
            case "1.2.840.113549.1.1.10": // RSASSA-PSS
                using (var rsa = RSA.Create())
                {
                    rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                    return certificate.CopyWithPrivateKey(rsa);
                }

            case "1.2.840.10045.2.1": // id-ecPublicKey
                using (var ec = ECDsa.Create())
                {
                    ec.ImportPkcs8PrivateKey(pkcs8, out _);
                    return certificate.CopyWithPrivateKey(ec);
                }

            default:
                throw new DbTlsException(FindingCodes.ConfigInvalid, $"the client certificate's key type ({certificate.PublicKey.Oid.FriendlyName ?? algorithm}) is not supported for TLS client authentication here (key file \"{keyPath}\")");
        }
    }

    /// <summary>Hands the password to BouncyCastle only when it asks; no password means "none given".</summary>
    private sealed class SecretPasswordFinder(Secret? password) : IPasswordFinder
    {
        public char[] GetPassword() => password?.Reveal().ToCharArray()
            ?? throw new PasswordException("a password is required");
    }
}
