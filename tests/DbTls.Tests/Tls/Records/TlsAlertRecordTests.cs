using DbTls.Tls.Records;

namespace DbTls.Tests.Tls.Records;

/// <summary>Which bytes read as one whole alert record: the header must say alert and exactly two body bytes, and both must be there.</summary>
public sealed class TlsAlertRecordTests
{
    [Fact]
    public void A_fatal_handshake_failure_alert_reads_level_description_and_record_version()
    {
        Assert.True(TlsAlertRecord.TryRead([21, 3, 1, 0, 2, 2, 40], out var alert));
        Assert.Equal((3, 1), (alert.Header.MajorVersion, alert.Header.MinorVersion));
        Assert.True(alert.IsFatal);
        Assert.Equal(TlsAlertRecord.HandshakeFailure, alert.Description);
    }

    [Theory]
    [InlineData(new byte[] { 22, 3, 3, 0, 2, 2, 40 })] // a handshake record
    [InlineData(new byte[] { 21, 3, 3, 0, 3, 2, 40, 0 })] // an alert header claiming three body bytes
    [InlineData(new byte[] { 21, 3, 3, 0, 2, 2 })] // the description is missing
    [InlineData(new byte[] { 21, 3, 3, 0 })] // not even a header
    public void Anything_else_is_not_an_alert(byte[] bytes) =>
        Assert.False(TlsAlertRecord.TryRead(bytes, out _));
}
