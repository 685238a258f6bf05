using System.Runtime.InteropServices;
using DbTls.Policy;

namespace DbTls.Tls.Trust;

/// <summary>
/// Keeps a one-check process from reading the system trust store when its policy never trusts it.
/// <para>
/// On Linux, .NET's chain builder (OpenSslX509ChainProcessor.InitiateChain) loads the whole system store on the
/// process's first <c>X509Chain.Build</c> whatever the trust mode (for CustomRootTrust it still adds the system's
/// non-self-signed certificates as intermediates), and SslStream builds such a chain in every handshake before our
/// validator runs. That is <c>/etc/ssl/certs/ca-certificates.crt</c> plus every file of <c>/etc/ssl/certs</c>:
/// measured, about two thirds of a verified PostgreSQL check with <c>sslrootcert=FILE</c>. The store's location comes
/// from OpenSSL's <c>SSL_CERT_FILE</c> / <c>SSL_CERT_DIR</c> variables, read through the C environment once per
/// process; pointing both at <c>/dev/null</c> (neither a regular file nor a directory, so nothing is read and the
/// /etc/ssl/certs fallback is not taken) before the first chain leaves the store empty. The chain our validator
/// builds then uses exactly the policy's anchors and the certificates the server sent, as OpenSSL-based drivers
/// (libpq, FreeTDS) and Java's PKIX (JDBC) do.
/// </para>
/// <para>
/// Only a host that makes one check per process may ask for this (the dbtls command line does, through the
/// <c>DbTls.OneCheckPerProcess</c> AppContext switch in its project file): the decision holds for the whole process,
/// so a later check that trusts the system store would find it empty. Policies that trust the system store, or that
/// may ask an OCSP responder (whose URL may be https), leave it alone.
/// </para>
/// </summary>
internal static partial class SystemTrustStore
{
    public const string OneCheckPerProcessSwitch = "DbTls.OneCheckPerProcess";

    private static int Decided;

    /// <summary>Called before the handshake with what the policy needs; the first call in the process decides.</summary>
    public static void BeforeFirstHandshake(TlsPolicy policy, TrustAnchors? trust)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!OperatingSystem.IsLinux()
            || !AppContext.TryGetSwitch(OneCheckPerProcessSwitch, out var oneCheck) || !oneCheck
            || Interlocked.Exchange(ref Decided, 1) != 0
            || trust?.UseSystem == true
            || policy.Revocation.Ocsp is { Enabled: true, QueryResponder: true })
        {
            return;
        }

        _ = SetEnv("SSL_CERT_FILE", "/dev/null", 1);
        _ = SetEnv("SSL_CERT_DIR", "/dev/null", 1);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
