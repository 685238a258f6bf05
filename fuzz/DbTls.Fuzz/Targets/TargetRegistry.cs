using DbTls.Fuzz.Engine;

namespace DbTls.Fuzz.Targets;

/// <summary>
/// Every fuzz target by name, in the order run.sh runs them. Names are listed here as well as in each
/// target so that a target can be chosen without constructing the others: under AFL++ no DbTls code
/// may run before SharpFuzz's loop has set up the coverage map.
/// </summary>
internal static class TargetRegistry
{
    public static IReadOnlyList<(string Name, Func<FuzzTarget> Create)> All { get; } =
    [
        ("pg-ssl-answer", () => new PgSslAnswerTarget()),
        ("pg-backend", () => new PgBackendTarget()),
        ("pg-scram", () => new PgScramTarget()),
        ("tds-prelogin", () => new TdsPreLoginTarget()),
        ("tds-packets", () => new TdsPacketsTarget()),
        ("tds-tokens", () => new TdsTokensTarget()),
        ("tds-tls-framing", () => new TdsTlsFramingTarget()),
        ("tls-records", () => new TlsRecordsTarget()),
        ("tls-legacy", () => new TlsLegacyTarget()),
        ("mongo-wire", () => new MongoWireTarget()),
        ("mongo-opmsg", () => new MongoOpMsgTarget()),
        ("mongo-opreply", () => new MongoOpReplyTarget()),
        ("mongo-bson", () => new MongoBsonTarget()),
        ("mongo-scram", () => new MongoScramTarget()),
        ("mongo-auth", () => new MongoAuthTarget()),
        ("scan-flight", () => new ScanFlightTarget()),
    ];

    /// <summary>The factory of the target called <paramref name="name"/>, or null.</summary>
    public static Func<FuzzTarget>? Find(string name) => All.FirstOrDefault(t => t.Name == name).Create;
}
