using DbTls.Wire.Tds;
using static DbTls.Tests.Wire.Tds.TdsTestBytes;

namespace DbTls.Tests.Wire.Tds;

public sealed class SqlBatchTests
{
    [Fact]
    public void Batch_carries_all_headers_with_the_transaction_descriptor()
    {
        var bytes = SqlBatchMessage.Create("select 1").Encode();

        // TotalLength 22, then one header: length 18, type 2, descriptor 0, outstanding requests 1.
        Assert.Equal(Hex("16000000 12000000 0200 0000000000000000 01000000"), bytes[..22]);
        Assert.Equal(System.Text.Encoding.Unicode.GetBytes("select 1"), bytes[22..]);
    }

    [Fact]
    public void Batch_round_trips()
    {
        var decoded = SqlBatchMessage.Decode(SqlBatchMessage.Create("SELECT 'ü'", transactionDescriptor: 7, outstandingRequestCount: 2).Encode());

        Assert.Equal("SELECT 'ü'", decoded.Sql);
        var header = Assert.Single(decoded.Headers);
        Assert.Equal(TdsStreamHeader.TransactionDescriptor, header.HeaderType);
        Assert.Equal(7ul, BitConverter.ToUInt64(header.Data, 0));
        Assert.Equal(2u, BitConverter.ToUInt32(header.Data, 8));
    }

    [Fact]
    public void Tds71_batch_has_no_headers() =>
        Assert.Equal(System.Text.Encoding.Unicode.GetBytes("x"), SqlBatchMessage.Create("x").Encode(withAllHeaders: false));

    [Fact]
    public void Total_length_beyond_the_message_is_a_violation() =>
        AssertViolation(() => SqlBatchMessage.Decode(Hex("FF000000 12000000 0200")), "TotalLength 255");

    [Fact]
    public void Header_length_beyond_all_headers_is_a_violation() =>
        AssertViolation(() => SqlBatchMessage.Decode(Hex("0E000000 40000000 0200 00000000 4100")), "header length 64");

    [Fact]
    public void Odd_text_length_is_a_violation() =>
        AssertViolation(() => SqlBatchMessage.Decode(Hex("04000000 41 00 42")), "odd number of bytes");
}
