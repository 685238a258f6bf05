using DbTls.Diagnostics;

namespace DbTls.Wire.Mongo;

internal static class MongoWireErrors
{
    public static DbTlsException Violation(string message, Exception? inner = null) =>
        new(FindingCodes.ServerProtocolViolation, $"MongoDB wire protocol violation: {message}", inner: inner);
}
