using DbTls.Tls;

namespace DbTls.Tests.Tls;

/// <summary>OpenSSL packs a received alert as reason 1000 + alert number; the number, not the text, is decoded.</summary>
public sealed class TlsAlertsTests
{
    [Theory]
    [InlineData("error:0A000414:SSL routines::sslv3 alert certificate revoked", 44, "alert certificate revoked (44)")] // OpenSSL 3
    [InlineData("error:0A000418:SSL routines::tlsv1 alert unknown ca", 48, "alert unknown ca (48)")]
    [InlineData("error:0A00045C:SSL routines::tlsv13 alert certificate required", 116, "alert certificate required (116)")]
    [InlineData("error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca", 48, "alert unknown ca (48)")] // OpenSSL 1.1 packing
    [InlineData("error:0A000418:SSL routines::some future wording", 48, "alert unknown ca (48)")] // the code decides, not the words
    public void Decodes_the_alert_number_from_openssls_error_code(string text, int expected, string described)
    {
        var exception = new IOException("Decrypt failed", new InvalidOperationException("SSL_ERROR_SSL", new InvalidOperationException(text)));

        Assert.True(TlsAlerts.TryReceivedFromOpenSsl(exception, out var alert));
        Assert.Equal(expected, alert);
        Assert.Equal(described, TlsAlerts.Describe(alert));
    }

    [Theory]
    [InlineData("error:0A000086:SSL routines::certificate verify failed")] // reason 134: our own verdict, no alert received
    [InlineData("error:0A00010B:SSL routines::wrong version number")]
    [InlineData("error:80000002:system library::No such file or directory")] // another library
    [InlineData("Connection reset by peer")]
    [InlineData("error:0A00041")] // truncated
    public void Reports_no_alert_where_openssl_names_none(string text)
    {
        Assert.False(TlsAlerts.TryReceivedFromOpenSsl(new IOException("failed", new InvalidOperationException(text)), out _));
    }
}
