using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Wire.Postgres;

/// <summary>What the login needs to know about the user.</summary>
internal sealed record PostgresLoginRequest(string User, string Database, string ApplicationName, Secret? Password, ChannelBindingMode ChannelBinding);

/// <summary>How the login went.</summary>
internal sealed class PostgresLoginResult
{
    /// <summary>A credential was sent (or the server let us in without one).</summary>
    public bool Attempted { get; set; }

    /// <summary>ReadyForQuery was reached.</summary>
    public bool Succeeded { get; set; }

    /// <summary>The server asked for a password that was not given, so the login stopped there.</summary>
    public bool SkippedForLackOfPassword { get; set; }

    public string? Mechanism { get; set; }

    public bool ChannelBinding { get; set; }

    public string? Detail { get; set; }

    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    public int? ProcessId { get; set; }
}
