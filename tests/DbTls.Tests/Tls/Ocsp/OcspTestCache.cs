using DbTls.Tls.Revocation;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>Clears the process-wide OCSP cache where a test must see a fresh decision for a certificate it already checked.</summary>
internal static class OcspTestCache
{
    public static void Forget() => OcspCache.Shared.Clear();
}
