using DbTls.Policy;

namespace DbTls.Wire.Mongo;

/// <summary>Who logs in where. A null mechanism is negotiated: SCRAM-SHA-256 when the server lists it for the user, else SCRAM-SHA-1.</summary>
public sealed record MongoCredential(string User, Secret Password, string Source, ScramMechanism? Mechanism = null);
