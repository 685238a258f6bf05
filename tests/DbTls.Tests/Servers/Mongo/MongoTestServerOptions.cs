using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.Servers.Mongo;

/// <summary>Ways the test server misbehaves on purpose, for the client's failure paths.</summary>
public enum MongoHostileMode
{
    None,

    /// <summary>Accepts (and completes TLS) but never answers anything.</summary>
    Silent,

    /// <summary>Closes the TCP connection right after accepting, before any TLS or protocol byte.</summary>
    CloseOnAccept,

    /// <summary>Reads the first command and closes without answering (a server dying mid-handshake).</summary>
    CloseMidHandshake,

    /// <summary>Sends the first part of the reply to the first command, then closes.</summary>
    TruncatedReply,

    /// <summary>Announces a reply larger than any allowed message, then sends nothing more.</summary>
    OversizedReply,

    /// <summary>Answers with an OP_MSG whose body document's length field lies (longer than the bytes present).</summary>
    LyingBsonLength,

    /// <summary>Answers the first command with bytes that are not a MongoDB message at all (e.g. an HTTP server).</summary>
    Garbage,

    /// <summary>SCRAM: the final server message carries a wrong signature (an impostor that accepts any password).</summary>
    BadServerSignature,

    /// <summary>SCRAM: declares the conversation done without a signature, accepting any proof.</summary>
    SkipServerSignature,

    /// <summary>SCRAM: asks for 1000 iterations, below the 4096 drivers accept.</summary>
    LowIterationCount,
}

/// <summary>A user of the test server and the SCRAM mechanisms it has credentials for.</summary>
internal sealed record MongoTestUser(string Name, string Database, string Password, params ScramMechanism[] Mechanisms);

public sealed record MongoTestServerOptions
{
    /// <summary>The server certificate (with private key); null serves plaintext.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Extra certificates sent with the server's (intermediates).</summary>
    public X509Certificate2Collection? CertificateChain { get; init; }

    /// <summary>Ask for a client certificate and fail the handshake when none (or none that <see cref="ClientCertificateValidator"/> accepts) comes.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Decides whether a presented client certificate is acceptable; null accepts any.</summary>
    public Func<X509Certificate2, bool>? ClientCertificateValidator { get; init; }

    /// <summary>TLS versions the server allows; None lets the OS choose.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.None;

    internal IReadOnlyList<MongoTestUser> Users { get; init; } = [];

    public int Sha1Iterations { get; init; } = 10_000;

    public int Sha256Iterations { get; init; } = 15_000;

    /// <summary>Whether hello answers speculativeAuthenticate (MongoDB 4.4+ does).</summary>
    public bool SupportsSpeculativeAuthentication { get; init; } = true;

    public int MaxWireVersion { get; init; } = 21;

    public MongoHostileMode Hostile { get; init; }

    /// <summary>
    /// Staple OCSP responses as mongod 4.4+ does: .NET's own server-side stapling
    /// (<c>SslStreamCertificateContext.Create(..., offline: false)</c>) fetches the response from the OCSP URL in
    /// the certificate's AIA extension (HTTP GET, measured on .NET 10/Linux) and staples it, good or revoked.
    /// <see cref="CertificateChain"/> must hold the issuer so the request can be formed.
    /// </summary>
    public bool StapleOcsp { get; init; }
}
