using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;

namespace DbTls.Wire.Mongo;

/// <summary>Who logs in where. A null mechanism is negotiated: SCRAM-SHA-256 when the server lists it for the user, else SCRAM-SHA-1.</summary>
internal sealed record MongoCredential(string User, Secret Password, string Source, ScramMechanism? Mechanism = null)
{
    /// <summary>
    /// The credential a parsed connection string asks for; null when it names no user. Throws
    /// <see cref="FindingCodes.AuthMechanismUnsupported"/> for mechanisms dbtls cannot perform (X.509,
    /// GSSAPI, PLAIN, AWS, OIDC) and <see cref="FindingCodes.AuthSkipped"/> when SCRAM has no password.
    /// </summary>
    public static MongoCredential? FromSpec(MongoConnectionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.User is null)
        {
            return null;
        }

        ScramMechanism? mechanism = null;
        if (spec.AuthMechanism is not null)
        {
            mechanism = ScramMechanismNames.Parse(spec.AuthMechanism)
                ?? throw new DbTlsException(FindingCodes.AuthMechanismUnsupported, $"authMechanism={spec.AuthMechanism} is not a mechanism dbtls performs (it speaks SCRAM-SHA-1 and SCRAM-SHA-256)");
        }

        if (spec.Password is null)
        {
            throw new DbTlsException(FindingCodes.AuthSkipped, $"user '{spec.User}' has no password, so dbtls cannot log in with SCRAM",
                "Give the password in the URI (percent-encoded) or in the client options.");
        }

        return new MongoCredential(spec.User, spec.Password, spec.AuthSource ?? "admin", mechanism);
    }
}
