using DbTls.Diagnostics;

namespace DbTls.Dialects.Mongo;

/// <summary>The configuration error every rule of the URI parser raises (config.invalid, with an optional remedy).</summary>
internal static class MongoUriErrors
{
    internal static DbTlsException Invalid(string message, string? remedy = null) =>
        new(FindingCodes.ConfigInvalid, message, remedy);
}
