using DbTls.Diagnostics;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// One row of the certificate matrix: which server certificate is installed, which host the client
/// names (and where it really connects), and the finding code dbtls must give under verify-full
/// (null: verify-full connects).
/// </summary>
public sealed record CertificateCase(string Id, string Fixture, string Host, string? HostAddr, string? VerifyFullCode, string? VerifyCaCode)
{
    public override string ToString() => Id;
}

public static class CertificateMatrix
{
    public static IReadOnlyList<CertificateCase> Cases { get; } =
    [
        new("good@localhost", "good", "localhost", null, null, null),
        new("good@127.0.0.1", "good", "127.0.0.1", null, null, null),
        new("good@::1", "good", "::1", null, null, null),
        new("wrong-root", "wrong-root", "localhost", null, FindingCodes.CertUntrusted, FindingCodes.CertUntrusted),
        new("missing-intermediate", "missing-intermediate", "localhost", null, FindingCodes.CertUntrusted, FindingCodes.CertUntrusted),
        new("cn-only@localhost", "cn-only", "localhost", null, null, null),
        new("cn-only@127.0.0.1", "cn-only", "127.0.0.1", null, FindingCodes.CertHostnameMismatch, null),
        new("cn-differs-from-san@cn", "cn-differs-from-san", "localhost", null, FindingCodes.CertHostnameMismatch, null),
        new("cn-differs-from-san@san", "cn-differs-from-san", "db.dbtls.test", "127.0.0.1", null, null),
        new("wildcard@one-label", "wildcard", "a.dbtls.test", "127.0.0.1", null, null),
        new("wildcard@two-labels", "wildcard", "a.b.dbtls.test", "127.0.0.1", FindingCodes.CertHostnameMismatch, null),
        new("wildcard@bare-domain", "wildcard", "dbtls.test", "127.0.0.1", FindingCodes.CertHostnameMismatch, null),
        new("ip-in-cn-only@ip", "ip-in-cn-only", "127.0.0.1", null, null, null),
        new("ip-in-cn-only@leading-zeros", "ip-in-cn-only", "127.000.000.001", null, FindingCodes.CertHostnameMismatch, null),
        new("ip-in-cn-only@localhost", "ip-in-cn-only", "localhost", null, FindingCodes.CertHostnameMismatch, null),
        new("ip-sans@127.0.0.1", "ip-sans", "127.0.0.1", null, null, null),
        new("ip-sans@leading-zeros", "ip-sans", "127.000.000.001", null, null, null),
        new("ip-sans@short-form", "ip-sans", "127.1", null, null, null),
        new("ip-sans@::1", "ip-sans", "::1", null, null, null),
        new("ip-sans@ipv6-expanded", "ip-sans", "0:0:0:0:0:0:0:1", null, null, null),
        new("ip-sans@localhost", "ip-sans", "localhost", null, FindingCodes.CertHostnameMismatch, null),
        new("no-names", "no-names", "localhost", null, FindingCodes.CertNoHostName, null),
        new("expired", "expired", "localhost", null, FindingCodes.CertExpired, FindingCodes.CertExpired),
        new("not-yet-valid", "not-yet-valid", "localhost", null, FindingCodes.CertNotYetValid, FindingCodes.CertNotYetValid),
        new("wrong-eku", "wrong-eku", "localhost", null, FindingCodes.CertWrongPurpose, FindingCodes.CertWrongPurpose),
        new("revoked-without-crl", "revoked", "localhost", null, null, null),
    ];

    public static IEnumerable<object[]> Ids => Cases.Select(c => new object[] { c.Id });

    public static CertificateCase Get(string id) => Cases.Single(c => c.Id == id);

    public static readonly string[] SslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];
}
