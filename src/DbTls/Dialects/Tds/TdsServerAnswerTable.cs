namespace DbTls.Dialects.Tds;

/// <summary>One row of a driver's answer table.</summary>
/// <param name="Action">What the driver does.</param>
/// <param name="VerifiesCertificate">
/// Whether the certificate is checked as <see cref="TdsConnectionSpec.Tls"/> says when TLS is set up for this answer;
/// false means any certificate is accepted (e.g. SqlClient and JDBC for login-only encryption).
/// </param>
/// <param name="Note">Why, when the driver's behaviour is surprising.</param>
internal sealed record TdsAnswerRule(TdsAnswerAction Action, bool VerifiesCertificate, string? Note = null)
{
    public static TdsAnswerRule Plaintext { get; } = new(TdsAnswerAction.Plaintext, false);

    public static TdsAnswerRule Fail(string? note = null) => new(TdsAnswerAction.Fail, false, note);
}

/// <summary>
/// How a driver reacts to each value of the server's PRELOGIN ENCRYPTION answer, given the value it sent.
/// Under TDS 8.0 strict the TLS session already exists and the rows say what happens to the answer sent
/// inside it.
/// </summary>
internal sealed record TdsServerAnswerTable
{
    /// <summary>The server answered ENCRYPT_OFF (0x00).</summary>
    public required TdsAnswerRule Off { get; init; }

    /// <summary>The server answered ENCRYPT_ON (0x01).</summary>
    public required TdsAnswerRule On { get; init; }

    /// <summary>The server answered ENCRYPT_NOT_SUP (0x02).</summary>
    public required TdsAnswerRule NotSupported { get; init; }

    /// <summary>The server answered ENCRYPT_REQ (0x03).</summary>
    public required TdsAnswerRule Required { get; init; }

    /// <summary>Any other value (after <see cref="AnswerMask"/>).</summary>
    public required TdsAnswerRule Other { get; init; }

    /// <summary>Bits of the answer the driver looks at (SqlClient masks with 0x3F, dropping e.g. the CLIENT_CERT bit 0x80).</summary>
    public byte AnswerMask { get; init; } = 0xFF;

    /// <summary>One rule whatever the server answers (e.g. TDS 8.0, where TLS is up before PRELOGIN).</summary>
    public static TdsServerAnswerTable Always(TdsAnswerRule rule) => new()
    {
        Off = rule,
        On = rule,
        NotSupported = rule,
        Required = rule,
        Other = rule,
    };

    /// <summary>The rule for a raw answer byte.</summary>
    public TdsAnswerRule For(byte answer) => (answer & AnswerMask) switch
    {
        0x00 => Off,
        0x01 => On,
        0x02 => NotSupported,
        0x03 => Required,
        _ => Other,
    };

    /// <summary>The rule for a defined answer value.</summary>
    public TdsAnswerRule For(TdsPreloginEncryption answer) => For((byte)answer);
}
