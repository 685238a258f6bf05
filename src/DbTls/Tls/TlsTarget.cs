namespace DbTls.Tls;

/// <summary>
/// Who the client believes it is talking to: the host name (or IP literal) the user wrote, which
/// drives SNI and host-name verification.
/// </summary>
public sealed record TlsTarget(string? HostName);
