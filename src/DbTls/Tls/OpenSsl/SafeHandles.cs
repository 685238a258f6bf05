using Microsoft.Win32.SafeHandles;

namespace DbTls.Tls.OpenSsl;

/// <summary>An owned <c>X509*</c>.</summary>
internal sealed class SafeX509Handle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeX509Handle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        LibCrypto.X509Free(handle);
        return true;
    }
}

/// <summary>An owned <c>X509_STORE*</c>.</summary>
internal sealed class SafeX509StoreHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeX509StoreHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        LibCrypto.X509StoreFree(handle);
        return true;
    }
}

/// <summary>An owned <c>X509_STORE_CTX*</c>.</summary>
internal sealed class SafeX509StoreCtxHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeX509StoreCtxHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        LibCrypto.X509StoreCtxFree(handle);
        return true;
    }
}

/// <summary>An owned <c>STACK_OF(X509)*</c> that owns one reference to each certificate it holds.</summary>
internal sealed class SafeX509StackHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeX509StackHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        // OPENSSL_sk_pop_free needs a C function pointer; popping and freeing each one does the same.
        IntPtr item;
        while ((item = LibCrypto.SkPop(handle)) != IntPtr.Zero)
        {
            LibCrypto.X509Free(item);
        }

        LibCrypto.SkFree(handle);
        return true;
    }
}
