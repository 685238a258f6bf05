using DbTls.Diagnostics;

namespace DbTls.Wire.Tds;

/// <summary>
/// The exceptions the TDS codec raises. Messages name offsets, lengths and types only, never
/// field contents, so a malformed LOGIN7 can never leak a password into an error.
/// </summary>
internal static class TdsErrors
{
    public static DbTlsException Violation(string message) =>
        new(FindingCodes.ServerProtocolViolation, message);

    /// <summary>A message longer than its kind may be (an oversized PRELOGIN answer): refused before it is read whole.</summary>
    public static DbTlsException TooLarge(string message) =>
        new(FindingCodes.ServerMessageTooLarge, message);

    public static DbTlsException Closed(string message) =>
        new(FindingCodes.ServerClosed, message);

    public static DbTlsException PlaintextAfterTls(string message) =>
        new(FindingCodes.ServerPlaintextAfterTls, message);
}
