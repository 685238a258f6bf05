using DbTls.Fuzz.Engine;

namespace DbTls.Fuzz.Targets;

/// <summary>Every fuzz target, in the order run.sh runs them.</summary>
internal static class TargetRegistry
{
    public static IReadOnlyList<Func<FuzzTarget>> All { get; } =
    [
        () => new PgSslAnswerTarget(),
        () => new PgBackendTarget(),
        () => new PgScramTarget(),
        () => new TdsPreLoginTarget(),
        () => new TdsPacketsTarget(),
        () => new TdsTokensTarget(),
        () => new TdsTlsFramingTarget(),
        () => new TlsRecordsTarget(),
        () => new TlsLegacyTarget(),
        () => new MongoWireTarget(),
        () => new MongoOpMsgTarget(),
        () => new MongoOpReplyTarget(),
        () => new MongoBsonTarget(),
        () => new MongoScramTarget(),
        () => new MongoAuthTarget(),
    ];
}
