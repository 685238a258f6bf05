using DbTls.Checks;
using DbTls.Policy;

namespace DbTls.Tests.Checks.Tds;

/// <summary>
/// Which first server records turn a wrapped handshake's handshake_failure into tls.protocol-version:
/// only a fatal handshake_failure alert written in a TLS 1.0 or 1.1 record.
/// </summary>
public sealed class TdsLegacyAlertTests
{
    [Theory]
    [InlineData("15030100020228", TlsProtocolVersion.Tls10)]
    [InlineData("15030200020228", TlsProtocolVersion.Tls11)]
    public void Handshake_failure_in_an_old_record_names_the_version(string hex, TlsProtocolVersion expected) =>
        Assert.Equal(expected, TdsCheck.LegacyAlertVersion(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("15030300020228")] // TLS 1.2 record: the server did speak TLS 1.2, no cipher suite in common
    [InlineData("15030100020246")] // protocol_version alert: already classified by the TLS engine
    [InlineData("15030100020128")] // a warning, not fatal
    [InlineData("16030100310200")] // a ServerHello, not an alert
    [InlineData("150301000302")] // cut short
    [InlineData("")]
    public void Anything_else_is_left_to_the_generic_classification(string hex) =>
        Assert.Null(TdsCheck.LegacyAlertVersion(Convert.FromHexString(hex)));
}
