using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using DbTls.Policy;

namespace DbTls.Tls.OpenSsl;

/// <summary>How the driver fills OpenSSL's X509_STORE: the trust source, then CRL files and directories, and its flags.</summary>
internal sealed record OpenSslStoreSetup(TrustSource Trust, IReadOnlyList<string> CrlFiles, IReadOnlyList<string> CrlDirectories, RevocationScope RevocationScope)
{
    /// <summary>libpq and FreeTDS/OpenSSL: the policy's trust source and CRLs, CRL_CHECK|CRL_CHECK_ALL for a full-chain scope.</summary>
    public static OpenSslStoreSetup From(TlsPolicy policy) => new(
        policy.Trust,
        policy.Revocation.CrlFiles.IsDefault ? [] : policy.Revocation.CrlFiles,
        policy.Revocation.CrlDirectories.IsDefault ? [] : policy.Revocation.CrlDirectories,
        policy.Revocation.Scope);
}

/// <summary>
/// OpenSSL's verdict on a chain: <see cref="Error"/> is an <c>X509_V_ERR_*</c> code (0 when verified), <see cref="Depth"/> the
/// index in <see cref="Chain"/> (leaf = 0) it refers to, and <see cref="Chain"/> the path OpenSSL built
/// (<c>X509_STORE_CTX_get1_chain</c>), complete on success and as far as it got on failure.
/// </summary>
internal sealed record OpenSslVerdict(int Error, int Depth, string ErrorText, IReadOnlyList<X509Certificate2> Chain)
{
    public bool Verified => Error == OpenSslErrors.Ok;
}

/// <summary>
/// Decides a chain with the system's OpenSSL exactly as an OpenSSL-based driver does during the handshake: the trust source
/// loaded as <c>SSL_CTX_load_verify_locations</c> / <c>SSL_CTX_set_default_verify_paths</c> load it (file order kept, the
/// first trusted match wins), CRLs as libpq's <c>X509_STORE_load_locations</c> adds them with CRL_CHECK|CRL_CHECK_ALL, no
/// PARTIAL_CHAIN, the certificates as the server sent them as the untrusted set, the "ssl_server" purpose and the
/// security level the system configuration gives a client context (what libssl's ssl_verify_cert_chain sets).
/// </summary>
internal static class OpenSslChainEngine
{
    private const nuint CrlCheck = 0x4;    // X509_V_FLAG_CRL_CHECK
    private const nuint CrlCheckAll = 0x8; // X509_V_FLAG_CRL_CHECK_ALL

    private static readonly Lazy<string?> LoadFailure = new(Probe);
    private static readonly Lazy<int?> SecurityLevel = new(ReadSecurityLevel);

    /// <summary>Why libcrypto could not be used (null when it can).</summary>
    public static string? Unavailable => LoadFailure.Value;

    /// <summary>
    /// Verifies <paramref name="presented"/> (leaf first, in wire order). Returns null and a reason when the trust source
    /// cannot be loaded into OpenSSL (the caller's own loading has reported that already) or libcrypto is unavailable.
    /// </summary>
    public static OpenSslVerdict? Verify(IReadOnlyList<X509Certificate2> presented, OpenSslStoreSetup setup, DateTimeOffset now, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(setup);
        failure = Unavailable;
        if (failure is not null || presented.Count == 0)
        {
            failure ??= "no certificate to verify";
            return null;
        }

        LibCrypto.ErrClearError();
        try
        {
            using var store = LibCrypto.X509StoreNew();
            failure = Fill(store, setup);
            if (failure is not null)
            {
                return null;
            }

            var owned = presented.Select(ToNative).ToList();
            try
            {
                using var untrusted = LibCrypto.SkNewNull();
                foreach (var certificate in owned)
                {
                    // The stack owns one reference of its own, released with it.
                    if (LibCrypto.X509UpRef(certificate.DangerousGetHandle()) != 1 || LibCrypto.SkPush(untrusted, certificate.DangerousGetHandle()) <= 0)
                    {
                        throw new InvalidOperationException("OpenSSL could not build the list of certificates the server sent");
                    }
                }

                using var context = LibCrypto.X509StoreCtxNew();
                if (context.IsInvalid || LibCrypto.X509StoreCtxInit(context, store, owned[0], untrusted) != 1)
                {
                    throw new InvalidOperationException("OpenSSL could not set up a verification context");
                }

                LibCrypto.X509StoreCtxSetDefault(context, "ssl_server");
                var param = LibCrypto.X509StoreCtxGet0Param(context);
                LibCrypto.X509VerifyParamSetTime(param, now.ToUnixTimeSeconds());
                if (SecurityLevel.Value is { } level)
                {
                    LibCrypto.X509VerifyParamSetAuthLevel(param, level);
                }

                var ok = LibCrypto.X509VerifyCert(context) == 1;
                var error = ok ? OpenSslErrors.Ok : LibCrypto.X509StoreCtxGetError(context);
                var depth = ok ? 0 : LibCrypto.X509StoreCtxGetErrorDepth(context);
                using var built = LibCrypto.X509StoreCtxGet1Chain(context);
                var chain = built.IsInvalid ? [] : ToManaged(built);
                return new OpenSslVerdict(error, depth, ErrorString(error), chain);
            }
            finally
            {
                owned.ForEach(c => c.Dispose());
            }
        }
        finally
        {
            LibCrypto.ErrClearError();
        }
    }

    public static string ErrorString(int error) =>
        Unavailable is null ? Marshal.PtrToStringUTF8(LibCrypto.X509VerifyCertErrorString(error)) ?? $"error {error}" : $"error {error}";

    private static string? Fill(SafeX509StoreHandle store, OpenSslStoreSetup setup)
    {
        var loaded = setup.Trust switch
        {
            TrustSource.PemFile file => LibCrypto.X509StoreLoadFile(store, file.Path) == 1,
            TrustSource.PemDirectory directory => LibCrypto.X509StoreLoadPath(store, directory.Path) == 1,
            TrustSource.SystemStore => LibCrypto.X509StoreSetDefaultPaths(store) == 1,
            _ => false,
        };
        if (!loaded)
        {
            return $"OpenSSL could not load the {setup.Trust.Describe()}";
        }

        if (setup.CrlFiles.Count == 0 && setup.CrlDirectories.Count == 0)
        {
            return null;
        }

        // libpq: X509_STORE_load_locations(file, dir) and, only when that succeeds, CRL checking; a directory is added
        // without being read, so a missing one loads "successfully" and is simply never found to hold a CRL.
        var crlsLoaded = setup.CrlFiles.All(f => LibCrypto.X509StoreLoadFile(store, f) == 1)
            && setup.CrlDirectories.All(d => LibCrypto.X509StoreLoadPath(store, d) == 1);
        if (crlsLoaded)
        {
            LibCrypto.X509StoreSetFlags(store, setup.RevocationScope == RevocationScope.FullChain ? CrlCheck | CrlCheckAll : CrlCheck);
        }

        return null;
    }

    private static SafeX509Handle ToNative(X509Certificate2 certificate)
    {
        var der = certificate.RawData;
        var buffer = Marshal.AllocHGlobal(der.Length);
        try
        {
            Marshal.Copy(der, 0, buffer, der.Length);
            var cursor = buffer;
            var native = LibCrypto.D2iX509(IntPtr.Zero, ref cursor, der.Length);
            return native.IsInvalid ? throw new InvalidOperationException("OpenSSL could not parse a certificate the server sent") : native;
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    private static List<X509Certificate2> ToManaged(SafeX509StackHandle stack)
    {
        var result = new List<X509Certificate2>();
        var count = LibCrypto.SkNum(stack);
        for (var i = 0; i < count; i++)
        {
            var item = LibCrypto.SkValue(stack, i);
            if (LibCrypto.X509UpRef(item) != 1)
            {
                continue;
            }

            using var certificate = new SafeX509Handle();
            Marshal.InitHandle(certificate, item);
            var length = LibCrypto.I2dX509Length(certificate, IntPtr.Zero);
            if (length <= 0)
            {
                continue;
            }

            var buffer = Marshal.AllocHGlobal(length);
            try
            {
                var cursor = buffer;
                if (LibCrypto.I2dX509(certificate, ref cursor) != length)
                {
                    continue;
                }

                var der = new byte[length];
                Marshal.Copy(buffer, der, 0, length);
                result.Add(X509CertificateLoader.LoadCertificate(der));
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        return result;
    }

    private static string? Probe()
    {
        try
        {
            var version = LibCrypto.OpenSslVersionNum();
            return version >= 0x30000000 ? null : $"{LibCrypto.Library} reports OpenSSL version 0x{version:x}, older than 3.0";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return $"{LibCrypto.Library} could not be loaded ({ex.Message})";
        }
    }

    /// <summary>A client SSL_CTX's security level after the system configuration (Debian 12: 2); it rejects weak keys and digests in the chain.</summary>
    private static int? ReadSecurityLevel()
    {
        try
        {
            var context = LibSsl.SslCtxNew(LibSsl.TlsClientMethod());
            if (context == IntPtr.Zero)
            {
                return null;
            }

            try
            {
                return LibSsl.SslCtxGetSecurityLevel(context);
            }
            finally
            {
                LibSsl.SslCtxFree(context);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return null;
        }
    }
}
