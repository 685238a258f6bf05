namespace DbTls.Auth;

/// <summary>What went wrong in a SCRAM exchange; each caller turns it into its driver's finding.</summary>
internal enum ScramFailure
{
    /// <summary>The server's message breaks RFC 5802 syntax (encoding, size, attribute order, base64, numbers).</summary>
    Malformed,

    /// <summary>The server demands a mandatory extension (<c>m=</c>) no client supports.</summary>
    UnsupportedExtension,

    /// <summary>The server's nonce does not extend the client's: the reply belongs to another exchange.</summary>
    NonceMismatch,

    /// <summary>Fewer iterations than the driver accepts (a downgrade, or a weak server setting).</summary>
    IterationsTooFew,

    /// <summary>More iterations than dbtls spends CPU on (a hostile server can burn the client's CPU).</summary>
    IterationsTooMany,

    /// <summary>The server ended the exchange with <c>e=</c>; the detail holds its (sanitised) text.</summary>
    ServerError,

    /// <summary>server-final carries no <c>v=</c>.</summary>
    SignatureMissing,

    /// <summary>The <c>v=</c> value is not base64.</summary>
    SignatureMalformed,

    /// <summary>The server signature is wrong: whoever answered does not know the password.</summary>
    SignatureWrong,

    /// <summary>A message arrived before the step that expects it.</summary>
    OutOfOrder,
}

/// <summary>A SCRAM exchange that cannot go on; <see cref="Failure"/> says why, the message says it in words.</summary>
internal sealed class ScramException : Exception
{
    public ScramException()
    {
    }

    public ScramException(string message)
        : base(message)
    {
    }

    public ScramException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ScramException(ScramFailure failure, string message)
        : base(message)
    {
        Failure = failure;
    }

    public ScramFailure Failure { get; }
}
