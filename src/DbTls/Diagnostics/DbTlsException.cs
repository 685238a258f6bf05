namespace DbTls.Diagnostics;

/// <summary>
/// A failure with a stable finding code. Every error dbtls raises on purpose is one of these, so the
/// command line can map it to a finding and an exit code. Messages must never contain secrets.
/// </summary>
public class DbTlsException : Exception
{
    public DbTlsException(string code, string message, string? remedy = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Remedy = remedy;
    }

    public DbTlsException()
        : this(FindingCodes.InternalError, "unexpected error")
    {
    }

    public DbTlsException(string message)
        : this(FindingCodes.InternalError, message)
    {
    }

    public DbTlsException(string message, Exception innerException)
        : this(FindingCodes.InternalError, message, null, innerException)
    {
    }

    public string Code { get; }

    /// <summary>A specific remedy; when null the catalogue's default remedy for <see cref="Code"/> applies.</summary>
    public string? Remedy { get; }

    public Finding ToFinding() => FindingCatalog.Create(Code, Message, Remedy);
}
