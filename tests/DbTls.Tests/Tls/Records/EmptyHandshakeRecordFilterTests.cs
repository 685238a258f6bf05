using DbTls.Tls.Records;

namespace DbTls.Tests.Tls.Records;

public sealed class EmptyHandshakeRecordFilterTests
{
    private static async Task<byte[]> ReadAllAsync(byte[] input, int chunk)
    {
        await using var filter = new EmptyHandshakeRecordFilter(new MemoryStream(input));
        var output = new MemoryStream();
        var buffer = new byte[chunk];
        int read;
        while ((read = await filter.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Drops_only_empty_handshake_records_whatever_the_read_size(int chunk)
    {
        byte[] hello = [0x16, 0x03, 0x03, 0x00, 0x02, 0xAA, 0xBB];
        byte[] emptyAlert = [0x15, 0x03, 0x03, 0x00, 0x00];
        byte[] emptyHandshake = [0x16, 0x03, 0x03, 0x00, 0x00];
        byte[] truncated = [0x17, 0x03];

        var output = await ReadAllAsync([.. emptyHandshake, .. hello, .. emptyHandshake, .. emptyHandshake, .. emptyAlert, .. truncated], chunk);

        Assert.Equal([.. hello, .. emptyAlert, .. truncated], output);
    }

    [Fact]
    public async Task The_33rd_empty_record_in_a_row_is_refused_as_openssl_does()
    {
        byte[] emptyHandshake = [0x16, 0x03, 0x03, 0x00, 0x00];
        byte[] hello = [0x16, 0x03, 0x03, 0x00, 0x01, 0xAA];
        var thirtyTwo = Enumerable.Repeat(emptyHandshake, 32).SelectMany(r => r).ToArray();

        Assert.Equal(hello, await ReadAllAsync([.. thirtyTwo, .. hello, .. thirtyTwo], 64));
        var ex = await Assert.ThrowsAsync<TlsRecordViolationException>(() => ReadAllAsync([.. thirtyTwo, .. emptyHandshake, .. hello], 64));
        Assert.Contains("record too small", ex.Message, StringComparison.Ordinal);
    }
}
