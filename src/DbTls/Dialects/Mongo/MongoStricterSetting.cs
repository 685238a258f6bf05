namespace DbTls.Dialects.Mongo;

internal sealed partial class MongoDialect : IStricterVerification
{
    /// <summary>The options that switch verification off, in any case as the URI options specification compares names.</summary>
    internal static readonly string[] Relaxing = ["tlsInsecure", "tlsAllowInvalidCertificates", "tlsAllowInvalidHostnames", "sslAllowInvalidCertificates", "sslAllowInvalidHostnames"];

    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "tls=true without tlsInsecure, tlsAllowInvalidCertificates or tlsAllowInvalidHostnames",
        "Fix the certificate (or the host name), then remove tlsInsecure, tlsAllowInvalidCertificates and tlsAllowInvalidHostnames (with tlsCAFile naming the CA).",
        Verified(redactedConnectionString));

    internal static string? Verified(string? redacted) =>
        string.IsNullOrEmpty(redacted) || !(redacted.StartsWith(MongoConnectionString.Scheme, StringComparison.OrdinalIgnoreCase) || redacted.StartsWith(MongoConnectionString.SrvScheme, StringComparison.OrdinalIgnoreCase))
            ? null
            : UriQueryEdit.Edit(redacted, Relaxing, []);
}
