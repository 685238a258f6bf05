using DbTls.Scan.Probe;
using static DbTls.Tests.Scan.ServerFlightBytes;

namespace DbTls.Tests.Scan;

public sealed class ServerFlightParserTests
{
    [Fact]
    public void A_tls12_server_hello_gives_version_suite_and_extensions()
    {
        var hello = ServerHello(0x0303, 0xC02F, null, Extension(0xFF01, [0]), Extension(23, []));

        Assert.True(ServerFlightParser.TryParse(Record(22, hello), false, out var reply));

        Assert.Equal(ProbeReplyKind.ServerHello, reply.Kind);
        Assert.Equal(TlsVersions.Tls12, reply.Version);
        Assert.Equal(0xC02F, reply.Suite);
        Assert.True(reply.SecureRenegotiation);
        Assert.True(reply.ExtendedMasterSecret);
    }

    [Fact]
    public void Supported_versions_and_key_share_give_tls13_and_the_group()
    {
        var hello = ServerHello(0x0303, 0x1302, null, Extension(43, [3, 4]), Extension(51, [0, 29, 0, 32, .. new byte[32]]));

        Assert.True(ServerFlightParser.TryParse(Record(22, hello), true, out var reply));

        Assert.Equal(TlsVersions.Tls13, reply.Version);
        Assert.Equal((ushort)29, reply.Group);
        Assert.Empty(reply.Certificates);
    }

    [Fact]
    public void The_hello_retry_random_marks_a_hello_retry_request()
    {
        var hello = ServerHello(0x0303, 0x1301, HelloRetryRandom, Extension(43, [3, 4]), Extension(51, [0, 30]));

        Assert.True(ServerFlightParser.TryParse(Record(22, hello), false, out var reply));

        Assert.Equal(ProbeReplyKind.HelloRetryRequest, reply.Kind);
        Assert.True(reply.Accepted);
        Assert.Equal((ushort)30, reply.Group);
    }

    [Fact]
    public void An_alert_is_a_refusal_with_its_description()
    {
        Assert.True(ServerFlightParser.TryParse(Alert(70), false, out var reply));

        Assert.Equal(ProbeReplyKind.Alert, reply.Kind);
        Assert.False(reply.Accepted);
        Assert.Equal(70, reply.AlertDescription);
    }

    [Fact]
    public void The_certificate_flight_is_read_up_to_server_hello_done_across_records()
    {
        byte[] leaf = [0x30, 1, 2, 3];
        byte[] issuer = [0x30, 4, 5];
        byte[] flight = [.. ServerHello(0x0303, 0xC030), .. Certificate(leaf, issuer), .. ServerHelloDone];
        // Split the handshake bytes over three records, as servers may.
        byte[] wire = [.. Record(22, flight[..10]), .. Record(22, flight[10..30]), .. Record(22, flight[30..])];

        Assert.False(ServerFlightParser.TryParse(wire.AsSpan(0, wire.Length - 1), true, out _));
        Assert.True(ServerFlightParser.TryParse(wire, true, out var reply));

        Assert.Equal(ProbeReplyKind.ServerHello, reply.Kind);
        Assert.Equal([leaf, issuer], reply.Certificates);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 3, 0x30, 1, 0 }, true)] // status_type ocsp, a 3-byte response
    [InlineData(new byte[] { 1, 0, 0, 0 }, false)]             // an empty response is no staple
    [InlineData(new byte[] { 2, 0, 0, 3, 0x30, 1, 0 }, false)] // not an OCSP status type
    public void A_certificate_status_message_is_an_ocsp_staple(byte[] status, bool stapled)
    {
        byte[] flight = [.. ServerHello(0x0303, 0xC030), .. Certificate([0x30, 1]), .. Handshake(22, status), .. ServerHelloDone];

        Assert.True(ServerFlightParser.TryParse(Record(22, flight), true, out var reply));

        Assert.Equal(ProbeReplyKind.ServerHello, reply.Kind);
        Assert.Equal(stapled, reply.OcspStapled);
    }

    [Theory]
    [InlineData(0xC02F, 29)]   // ECDHE: the ServerKeyExchange names the curve
    [InlineData(0x009E, null)] // DHE: its ServerKeyExchange starts with dh_p, which is no curve
    public void The_curve_of_an_ecdhe_server_key_exchange_is_the_group(int suite, int? group)
    {
        byte[] keyExchange = [3, 0, 29, 32, .. new byte[32]];
        byte[] flight = [.. ServerHello(0x0303, (ushort)suite), .. Certificate([0x30, 1]), .. Handshake(12, keyExchange), .. ServerHelloDone];

        Assert.True(ServerFlightParser.TryParse(Record(22, flight), true, out var reply));

        Assert.Equal((ushort?)group, reply.Group);
    }

    [Fact]
    public void Bytes_that_are_not_tls_are_malformed()
    {
        Assert.True(ServerFlightParser.TryParse("HTTP/1.1 400 Bad Request\r\n"u8, false, out var reply));

        Assert.Equal(ProbeReplyKind.Malformed, reply.Kind);
        Assert.Contains("does not start with a TLS record", reply.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_longer_than_tls_allows_is_oversized_without_waiting_for_its_body()
    {
        Assert.True(ServerFlightParser.TryParse([22, 3, 3, 0xFF, 0xFF], false, out var reply));

        Assert.Equal(ProbeReplyKind.Oversized, reply.Kind);
    }

    [Fact]
    public void A_16_mib_handshake_message_is_oversized_without_waiting_for_its_body()
    {
        Assert.True(ServerFlightParser.TryParse(Record(22, [2, 0xFF, 0xFF, 0xFF, 3, 3]), false, out var reply));

        Assert.Equal(ProbeReplyKind.Oversized, reply.Kind);
    }

    [Fact]
    public void A_truncated_server_hello_needs_more_and_is_truncated_at_the_end_while_no_byte_at_all_is_a_close()
    {
        var wire = Record(22, ServerHello(0x0303, 0xC02F));

        Assert.False(ServerFlightParser.TryParse(wire.AsSpan(0, 20), false, out _));
        Assert.Equal(ProbeReplyKind.Truncated, ServerFlightParser.AtEnd(wire.AsSpan(0, 20), false).Kind);
        Assert.Equal(ProbeReplyKind.Closed, ServerFlightParser.AtEnd([], false).Kind);
        Assert.False(ServerFlightParser.AtEnd([], false).Accepted);
    }

    [Fact]
    public void An_extension_that_overruns_its_block_is_malformed()
    {
        byte[] hello = [.. ServerHello(0x0303, 0xC02F, null, Extension(43, [3, 4]))];
        hello[^3] = 9; // the extension now claims 9 bytes where 2 follow

        Assert.True(ServerFlightParser.TryParse(Record(22, hello), false, out var reply));

        Assert.Equal(ProbeReplyKind.Malformed, reply.Kind);
    }

    [Theory]
    [InlineData(0x0000, null)]
    [InlineData(0x0303, new byte[] { 0x7F, 0x1C })] // a TLS 1.3 draft number in supported_versions
    [InlineData(0x0400, null)]
    public void A_server_hello_for_a_version_that_does_not_exist_is_malformed(int version, byte[]? supportedVersion)
    {
        var hello = supportedVersion is null
            ? ServerHello((ushort)version, 0xC02F)
            : ServerHello((ushort)version, 0x1301, null, Extension(43, supportedVersion));

        Assert.True(ServerFlightParser.TryParse(Record(22, hello), false, out var reply));

        Assert.Equal(ProbeReplyKind.Malformed, reply.Kind);
        Assert.False(reply.Accepted);
    }

    [Fact]
    public void A_certificate_list_whose_length_lies_is_malformed()
    {
        var certificate = Certificate([0x30, 1]);
        certificate[6] = 0x7F; // list length far beyond the message
        byte[] flight = [.. ServerHello(0x0303, 0xC030), .. certificate, .. ServerHelloDone];

        Assert.True(ServerFlightParser.TryParse(Record(22, flight), true, out var reply));

        Assert.Equal(ProbeReplyKind.Malformed, reply.Kind);
    }

    [Fact]
    public void Every_prefix_and_every_single_byte_change_of_a_flight_ends_typed_without_throwing()
    {
        byte[] flight = [.. ServerHello(0x0303, 0xC030, null, Extension(0xFF01, [0])), .. Certificate([0x30, 1, 2]), .. ServerHelloDone];
        var wire = Record(22, flight);
        for (var length = 0; length <= wire.Length; length++)
        {
            if (ServerFlightParser.TryParse(wire.AsSpan(0, length), true, out var reply))
            {
                Assert.NotNull(reply);
            }

            Assert.NotNull(ServerFlightParser.AtEnd(wire.AsSpan(0, length), true));
        }

        for (var i = 0; i < wire.Length; i++)
        {
            foreach (var value in new byte[] { 0, 0xFF, (byte)(wire[i] + 1) })
            {
                var changed = wire.ToArray();
                changed[i] = value;
                Assert.NotNull(ServerFlightParser.AtEnd(changed, true));
            }
        }
    }
}
