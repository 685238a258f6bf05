namespace DbTls.Wire.Tds;

/// <summary>What the PRELOGIN ENCRYPTION exchange leads to.</summary>
internal enum TdsEncryptionOutcome
{
    /// <summary>No TLS at all: LOGIN7, with its password, travels in clear.</summary>
    Unencrypted,

    /// <summary>TLS handshake, the first LOGIN7 packet through TLS, then everything in clear.</summary>
    LoginOnly,

    /// <summary>TLS handshake, then every byte through TLS.</summary>
    Full,

    /// <summary>The two sides cannot agree; the connection ends after PRELOGIN.</summary>
    Terminate,
}

/// <summary>
/// The encryption negotiation table of MS-TDS 2.2.6.5: which ENCRYPTION value a server answers for
/// a client's request and its own setting, and what a pair of values means for the connection.
/// </summary>
internal static class TdsEncryptionNegotiation
{
    /// <summary>
    /// The value a SQL Server answers. <paramref name="serverSetting"/> is the server's own state:
    /// Off (certificate, encryption not forced), On or Required (encryption forced) or NotSupported
    /// (no certificate). A client's ENCRYPT_OFF meets a forcing server with ENCRYPT_REQ, not
    /// ENCRYPT_ON: SqlClient only turns on full encryption for ENCRYPT_REQ.
    /// </summary>
    public static PreLoginEncryption ServerAnswer(PreLoginEncryption clientRequest, PreLoginEncryption serverSetting)
    {
        var client = clientRequest.Mode();
        var server = serverSetting.Mode();
        var forcing = server is PreLoginEncryption.On or PreLoginEncryption.Required;
        return client switch
        {
            PreLoginEncryption.NotSupported => forcing ? PreLoginEncryption.Required : PreLoginEncryption.NotSupported,
            PreLoginEncryption.Off => server == PreLoginEncryption.NotSupported ? PreLoginEncryption.NotSupported
                : forcing ? PreLoginEncryption.Required
                : PreLoginEncryption.Off,

            // ENCRYPT_ON, and ENCRYPT_REQ which no client should send.
            _ => server == PreLoginEncryption.NotSupported ? PreLoginEncryption.NotSupported : PreLoginEncryption.On,
        };
    }

    /// <summary>
    /// The outcome of a client value and a server answer (null when the server omitted the option).
    /// Undefined modes count as "supports encryption", as SqlClient does, so a client that asked
    /// for encryption still gets it and one that did not stays in clear.
    /// </summary>
    public static TdsEncryptionOutcome Outcome(PreLoginEncryption client, PreLoginEncryption? serverAnswer)
    {
        var c = client.Mode();
        if (serverAnswer is not { } answer)
        {
            // No ENCRYPTION option: the server cannot do encryption.
            return c is PreLoginEncryption.On or PreLoginEncryption.Required ? TdsEncryptionOutcome.Terminate : TdsEncryptionOutcome.Unencrypted;
        }

        var s = answer.Mode();
        return c switch
        {
            PreLoginEncryption.Off => s switch
            {
                PreLoginEncryption.Off => TdsEncryptionOutcome.LoginOnly,
                PreLoginEncryption.On or PreLoginEncryption.Required => TdsEncryptionOutcome.Full,
                _ => TdsEncryptionOutcome.Unencrypted,
            },
            PreLoginEncryption.NotSupported => s switch
            {
                PreLoginEncryption.On or PreLoginEncryption.Required => TdsEncryptionOutcome.Terminate,
                _ => TdsEncryptionOutcome.Unencrypted,
            },
            _ => s == PreLoginEncryption.NotSupported ? TdsEncryptionOutcome.Terminate : TdsEncryptionOutcome.Full,
        };
    }
}
