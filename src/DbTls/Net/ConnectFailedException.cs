using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;

namespace DbTls.Net;

/// <summary>One address that did not accept the connection, and the socket layer's reason.</summary>
internal sealed record ConnectAttempt(EndPoint EndPoint, SocketError Error, string Reason)
{
    /// <summary>libpq's wording, which every check uses: <c>connection to 10.0.0.5:5432 failed: Connection refused</c>.</summary>
    public override string ToString() => $"connection to {EndpointNames.Describe(EndPoint)} failed: {Reason}";
}

/// <summary>
/// No address accepted the connection (or the name had none). Carries every attempt so a caller whose driver
/// words this differently (MongoDB drivers name the host, not the address) can do so without parsing the message.
/// </summary>
internal sealed class ConnectFailedException : DbTlsException
{
    public ConnectFailedException(string message, IReadOnlyList<ConnectAttempt> attempts, Exception? inner = null)
        : base(FindingCodes.NetUnreachable, message, inner: inner)
    {
        Attempts = attempts;
    }

    public ConnectFailedException()
        : this("no address accepted the connection", [])
    {
    }

    public ConnectFailedException(string message)
        : this(message, [])
    {
    }

    public ConnectFailedException(string message, Exception innerException)
        : this(message, [], innerException)
    {
    }

    /// <summary>The addresses tried, in order; empty when the name did not resolve.</summary>
    public IReadOnlyList<ConnectAttempt> Attempts { get; }

    /// <summary>The socket error of the last attempt (or of the name lookup), for callers that classify it.</summary>
    public SocketError LastError => InnerException is SocketException socket ? socket.SocketErrorCode : Attempts.Count > 0 ? Attempts[^1].Error : SocketError.SocketError;

    /// <summary>The socket layer's text for the last attempt (or the name lookup).</summary>
    public string LastReason => InnerException is SocketException socket ? socket.Message : Attempts.Count > 0 ? Attempts[^1].Reason : Message;
}
