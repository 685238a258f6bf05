using DbTls.Diagnostics;

namespace DbTls.Wire.Mongo;

/// <summary>A command the server answered with <c>ok: 0</c>. Code 18 (AuthenticationFailed) maps to <see cref="FindingCodes.AuthFailed"/>.</summary>
internal sealed class MongoCommandException : DbTlsException
{
    public const int AuthenticationFailedCode = 18;

    public MongoCommandException(string commandName, int serverCode, string? codeName, string serverMessage)
        : base(serverCode == AuthenticationFailedCode ? FindingCodes.AuthFailed : FindingCodes.ServerError,
            $"{commandName} failed: {serverMessage} ({codeName ?? "error"}, code {serverCode})")
    {
        CommandName = commandName;
        ServerCode = serverCode;
        CodeName = codeName;
        ServerMessage = serverMessage;
    }

    public MongoCommandException()
        : this("command", 0, null, "unknown error")
    {
    }

    public MongoCommandException(string message)
        : this("command", 0, null, message)
    {
    }

    public MongoCommandException(string message, Exception innerException)
        : base(FindingCodes.ServerError, message, inner: innerException)
    {
        CommandName = "command";
        ServerMessage = message;
    }

    public string CommandName { get; }

    public int ServerCode { get; }

    public string? CodeName { get; }

    public string ServerMessage { get; }
}
