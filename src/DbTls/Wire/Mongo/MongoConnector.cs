using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;
using DbTls.Tls;
using DbTls.Transports;

namespace DbTls.Wire.Mongo;

/// <summary>An open, logged-in MongoDB connection and how it was made.</summary>
internal sealed class MongoConnection : IAsyncDisposable
{
    internal MongoConnection(MongoHost host, TlsSession? tls, MongoWireConnection wire, MongoSessionInfo session)
    {
        Host = host;
        Tls = tls;
        Wire = wire;
        Session = session;
    }

    public MongoHost Host { get; }

    /// <summary>Null when the connection is plaintext (tls=false).</summary>
    public TlsSession? Tls { get; }

    public MongoWireConnection Wire { get; }

    public MongoSessionInfo Session { get; }

    public ValueTask DisposeAsync() => Wire.DisposeAsync();
}

/// <summary>
/// Connects to one host of a <see cref="MongoConnectionSpec"/> the way the driver would: TCP, then (with
/// tls on) the TLS handshake on the first byte, then the handshake and SCRAM login. Because MongoDB has no
/// in-protocol TLS negotiation, a policy that wants TLS gets it before any MongoDB byte, and so before
/// any credential, by construction.
/// </summary>
internal static class MongoConnector
{
    public static async Task<MongoConnection> ConnectAsync(MongoConnectionSpec spec, MongoHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(host);
        // Resolve the credential first: a configuration problem should not cost a connection.
        var credential = MongoCredential.FromSpec(spec);
        var connection = await MongoTransport.ConnectAsync(host, addresses: null, cancellationToken).ConfigureAwait(false);
        Stream stream = connection.Stream;
        TlsSession? tls = null;
        try
        {
            if (spec.Tls.Encryption == EncryptionMode.TlsFirst)
            {
                tls = await TlsClient.AuthenticateAsync(stream, spec.Tls, new TlsTarget(host.Host) { OpenProbeTransport = connection.ConnectAgainAsync }, cancellationToken).ConfigureAwait(false);
                stream = tls.Stream;
            }
            else if (spec.Tls.Encryption != EncryptionMode.Disabled)
            {
                throw new DbTlsException(FindingCodes.InternalError, $"MongoDB has no {spec.Tls.Encryption} TLS mode");
            }
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var wire = new MongoWireConnection(stream);
        try
        {
            var session = await MongoClientSession.OpenAsync(wire, spec.AppName, credential,
                spec.LoadBalanced ? MongoHelloCommand.Hello : MongoHelloCommand.LegacyHello, cancellationToken).ConfigureAwait(false);
            return new MongoConnection(host, tls, wire, session);
        }
        catch (DbTlsException ex) when (ExplainClose(ex, tls?.Report) is { } explained)
        {
            await wire.DisposeAsync().ConfigureAwait(false);
            throw explained;
        }
        catch
        {
            await wire.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A connection closed after a TLS handshake in which the server asked for a client certificate and
    /// none was sent: under TLS 1.3 the client's handshake ends before the server judges the (missing)
    /// certificate, and a server that requires one then hangs up, with or without an alert. Null for
    /// every other failure.
    /// </summary>
    public static DbTlsException? ExplainClose(DbTlsException failure, Reports.TlsReport? tls)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Code == FindingCodes.ServerClosed && tls is { ClientCertificateRequested: true, ClientCertificateSent: false }
            ? new DbTlsException(FindingCodes.ClientCertMissing,
                "the server asked for a client certificate, none was sent, and it closed the connection before answering the first command",
                "Give the client certificate and key with tlsCertificateKeyFile (and tlsCertificateKeyFilePassword when the key is encrypted).", failure)
            : null;
    }
}
