using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Dialects.Jdbc;

/// <summary>sslProtocol: the TLS versions the driver offers, and the legacy TLS 1.0/1.1 opt-in it implies.</summary>
internal static class JdbcSslProtocol
{
    internal static (TlsProtocolVersion? Min, TlsProtocolVersion? Max) Protocols(string? sslProtocol, ImmutableArray<Finding>.Builder findings)
    {
        // SSLContext.getInstance(sslProtocol): a "TLSvX" context enables X and every version below it that the
        // JVM allows; current JVMs disable TLS 1.0 and 1.1 in jdk.tls.disabledAlgorithms, so without an explicit
        // legacy choice the range is TLS 1.2 up to X.
        switch (sslProtocol?.ToLowerInvariant())
        {
            case null or "tls" or "tlsv1.3":
                return (TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls13);
            case "tlsv1.2":
                return (TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls12);
            case "tlsv1.1":
                findings.Add(LegacyTls("sslProtocol=TLSv1.1 allows TLS 1.0 and 1.1 (a JVM that still permits them in jdk.tls.disabledAlgorithms will use them)"));
                return (TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls11);
            case "tlsv1":
                findings.Add(LegacyTls("sslProtocol=TLSv1 allows only TLS 1.0 (a JVM that still permits it in jdk.tls.disabledAlgorithms will use it)"));
                return (TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls10);
            default:
                throw TdsDialectRules.Invalid($"sslProtocol=\"{sslProtocol}\" is not valid: use TLS, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3");
        }
    }

    internal static Finding LegacyTls(string message) => FindingCatalog.Create(
        FindingCodes.TlsWeakProtocol,
        message,
        "Remove sslProtocol (or use TLSv1.2/TLSv1.3) and enable TLS 1.2 on the server.");
}
