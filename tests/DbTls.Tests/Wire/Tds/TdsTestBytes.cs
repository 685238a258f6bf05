using DbTls.Diagnostics;

namespace DbTls.Tests.Wire.Tds;

internal static class TdsTestBytes
{
    /// <summary>Bytes from a hex string with spaces and line breaks (as MS-TDS prints its examples).</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(string.Concat(hex.Where(Uri.IsHexDigit)));

    public static DbTlsException AssertViolation(Action action, string? messagePart = null) =>
        AssertCode(FindingCodes.ServerProtocolViolation, action, messagePart);

    public static DbTlsException AssertCode(string code, Action action, string? messagePart = null)
    {
        var error = Assert.ThrowsAny<DbTlsException>(action);
        Assert.Equal(code, error.Code);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        }

        return error;
    }
}
