using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;
using static DbTls.Dialects.Mongo.MongoOptionValues;
using static DbTls.Dialects.Mongo.MongoUriErrors;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// The authentication options: the mechanism (DEFAULT means the server's choice), and the database the
/// login goes to, which the auth spec derives from authSource, the mechanism and the URI's database.
/// </summary>
internal static class MongoAuthRules
{
    /// <summary>The mechanism (null for the default) and the effective auth source (null when there is no login).</summary>
    public static (string? Mechanism, string? Source) Resolve(Dictionary<string, string> values, string? user, Secret? password, string? database,
        ImmutableArray<Finding>.Builder findings)
    {
        var mechanism = Get(values, "authmechanism");
        if (mechanism == "DEFAULT")
        {
            mechanism = null;
        }

        var authSource = Get(values, "authsource");
        if (authSource is { Length: 0 })
        {
            throw Invalid("authSource cannot be an empty string");
        }

        if (user is null && (mechanism is "SCRAM-SHA-1" or "SCRAM-SHA-256" or "PLAIN"))
        {
            throw Invalid($"authMechanism={mechanism} needs a user name");
        }

        string? effectiveSource = null;
        if (user is not null || mechanism is not null)
        {
            effectiveSource = authSource ?? mechanism switch
            {
                "MONGODB-X509" or "GSSAPI" or "MONGODB-AWS" or "MONGODB-OIDC" => "$external",
                "PLAIN" => database ?? "$external",
                _ => database ?? "admin",
            };
        }

        if (user is not null && password is null && mechanism is null or "SCRAM-SHA-1" or "SCRAM-SHA-256")
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                $"user '{user}' has no password in the URI or the client options; SCRAM authentication needs one."));
        }

        return (mechanism, effectiveSource);
    }
}
