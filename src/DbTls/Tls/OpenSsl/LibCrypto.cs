using System.Runtime.InteropServices;

namespace DbTls.Tls.OpenSsl;

/// <summary>
/// The few libcrypto (OpenSSL 3) entry points that chain verification needs, bound by name to the system library
/// (Debian 12: libcrypto.so.3, the library libpq, FreeTDS/OpenSSL and the .NET runtime itself load). Source-generated
/// marshalling keeps this trimming- and NativeAOT-clean; every owned pointer is wrapped in a SafeHandle by the callers.
/// </summary>
internal static partial class LibCrypto
{
    internal const string Library = "libcrypto.so.3";

    [LibraryImport(Library, EntryPoint = "OpenSSL_version_num")]
    internal static partial nuint OpenSslVersionNum();

    [LibraryImport(Library, EntryPoint = "ERR_clear_error")]
    internal static partial void ErrClearError();

    [LibraryImport(Library, EntryPoint = "d2i_X509")]
    internal static partial SafeX509Handle D2iX509(IntPtr reuse, ref IntPtr input, nint length);

    [LibraryImport(Library, EntryPoint = "i2d_X509")]
    internal static partial int I2dX509(SafeX509Handle certificate, ref IntPtr output);

    [LibraryImport(Library, EntryPoint = "i2d_X509")]
    internal static partial int I2dX509Length(SafeX509Handle certificate, IntPtr noOutput);

    [LibraryImport(Library, EntryPoint = "X509_free")]
    internal static partial void X509Free(IntPtr certificate);

    [LibraryImport(Library, EntryPoint = "X509_up_ref")]
    internal static partial int X509UpRef(IntPtr certificate);

    [LibraryImport(Library, EntryPoint = "X509_STORE_new")]
    internal static partial SafeX509StoreHandle X509StoreNew();

    [LibraryImport(Library, EntryPoint = "X509_STORE_free")]
    internal static partial void X509StoreFree(IntPtr store);

    [LibraryImport(Library, EntryPoint = "X509_STORE_load_file", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int X509StoreLoadFile(SafeX509StoreHandle store, string file);

    [LibraryImport(Library, EntryPoint = "X509_STORE_load_path", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int X509StoreLoadPath(SafeX509StoreHandle store, string path);

    [LibraryImport(Library, EntryPoint = "X509_STORE_set_default_paths")]
    internal static partial int X509StoreSetDefaultPaths(SafeX509StoreHandle store);

    [LibraryImport(Library, EntryPoint = "X509_STORE_set_flags")]
    internal static partial int X509StoreSetFlags(SafeX509StoreHandle store, nuint flags);

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_new")]
    internal static partial SafeX509StoreCtxHandle X509StoreCtxNew();

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_free")]
    internal static partial void X509StoreCtxFree(IntPtr context);

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_init")]
    internal static partial int X509StoreCtxInit(SafeX509StoreCtxHandle context, SafeX509StoreHandle store, SafeX509Handle leaf, SafeX509StackHandle untrusted);

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_set_default", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int X509StoreCtxSetDefault(SafeX509StoreCtxHandle context, string name);

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_get0_param")]
    internal static partial IntPtr X509StoreCtxGet0Param(SafeX509StoreCtxHandle context);

    [LibraryImport(Library, EntryPoint = "X509_VERIFY_PARAM_set_time")]
    internal static partial void X509VerifyParamSetTime(IntPtr param, long time);

    [LibraryImport(Library, EntryPoint = "X509_VERIFY_PARAM_set_auth_level")]
    internal static partial void X509VerifyParamSetAuthLevel(IntPtr param, int level);

    [LibraryImport(Library, EntryPoint = "X509_verify_cert")]
    internal static partial int X509VerifyCert(SafeX509StoreCtxHandle context);

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_get_error")]
    internal static partial int X509StoreCtxGetError(SafeX509StoreCtxHandle context);

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_get_error_depth")]
    internal static partial int X509StoreCtxGetErrorDepth(SafeX509StoreCtxHandle context);

    [LibraryImport(Library, EntryPoint = "X509_STORE_CTX_get1_chain")]
    internal static partial SafeX509StackHandle X509StoreCtxGet1Chain(SafeX509StoreCtxHandle context);

    [LibraryImport(Library, EntryPoint = "X509_verify_cert_error_string")]
    internal static partial IntPtr X509VerifyCertErrorString(nint error);

    [LibraryImport(Library, EntryPoint = "OPENSSL_sk_new_null")]
    internal static partial SafeX509StackHandle SkNewNull();

    [LibraryImport(Library, EntryPoint = "OPENSSL_sk_push")]
    internal static partial int SkPush(SafeX509StackHandle stack, IntPtr item);

    [LibraryImport(Library, EntryPoint = "OPENSSL_sk_num")]
    internal static partial int SkNum(SafeX509StackHandle stack);

    [LibraryImport(Library, EntryPoint = "OPENSSL_sk_value")]
    internal static partial IntPtr SkValue(SafeX509StackHandle stack, int index);

    [LibraryImport(Library, EntryPoint = "OPENSSL_sk_pop")]
    internal static partial IntPtr SkPop(IntPtr stack);

    [LibraryImport(Library, EntryPoint = "OPENSSL_sk_free")]
    internal static partial void SkFree(IntPtr stack);
}

/// <summary>libssl, only to read the security level the system's OpenSSL configuration gives a new client context.</summary>
internal static partial class LibSsl
{
    internal const string Library = "libssl.so.3";

    [LibraryImport(Library, EntryPoint = "TLS_client_method")]
    internal static partial IntPtr TlsClientMethod();

    [LibraryImport(Library, EntryPoint = "SSL_CTX_new")]
    internal static partial IntPtr SslCtxNew(IntPtr method);

    [LibraryImport(Library, EntryPoint = "SSL_CTX_free")]
    internal static partial void SslCtxFree(IntPtr context);

    [LibraryImport(Library, EntryPoint = "SSL_CTX_get_security_level")]
    internal static partial int SslCtxGetSecurityLevel(IntPtr context);
}
