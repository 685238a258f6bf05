namespace DbTls.Diagnostics;

/// <summary>Process exit codes of <c>dbtls check</c>; documented in docs/exit-codes.md.</summary>
public static class ExitCodes
{
    /// <summary>Connected and the policy holds.</summary>
    public const int Ok = 0;

    /// <summary>Rejected: certificate, TLS, the server refused encryption, authentication.</summary>
    public const int Rejected = 1;

    /// <summary>Invalid connection string or options.</summary>
    public const int InvalidInput = 2;

    /// <summary>Network failure or timeout.</summary>
    public const int Network = 3;
}
