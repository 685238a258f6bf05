using DbTls.Diagnostics;
using DbTls.Dialects.SqlClient;

namespace DbTls.Tests.Dialects.SqlClient;

public class SqlClientConnectionStringParserTests
{
    [Theory]
    [InlineData("Server=db;Password='x;y'", "password", "x;y")]
    [InlineData("Password=\"he said \"\"hi\"\"\"", "password", "he said \"hi\"")]
    [InlineData("Password='it''s'", "password", "it's")]
    [InlineData("Password=' padded '", "password", " padded ")]
    [InlineData("Password=\"a'b\"", "password", "a'b")]
    [InlineData("Password=a\"b'c", "password", "a\"b'c")]
    [InlineData("  Server  =  host , 1433  ;  ", "server", "host , 1433")]
    [InlineData("a==b=c", "a=b", "c")]
    [InlineData("User ID=x=y", "user id", "x=y")]
    [InlineData(";;;Initial Catalog=db;;", "initial catalog", "db")]
    [InlineData("DATA SOURCE=h", "data source", "h")]
    [InlineData("Password=  'q'  ;", "password", "q")]
    public void Splits_pairs_like_SqlClient(string connectionString, string key, string value)
    {
        var pair = Assert.Single(SqlClientConnectionStringParser.Parse(connectionString), p => p.Key == key);
        Assert.Equal(value, pair.Value);
    }

    [Fact]
    public void Empty_value_is_null_and_counts_as_given()
    {
        var pairs = SqlClientConnectionStringParser.Parse("Encrypt=false;Encrypt=;");
        Assert.Equal(2, pairs.Count);
        Assert.Null(pairs[1].Value);
        Assert.Equal(-1, pairs[1].ValueStart);
    }

    [Fact]
    public void Value_range_points_at_the_value_as_written()
    {
        const string text = "Server=db; Password = 'se;cret' ;User ID=u";
        var pair = Assert.Single(SqlClientConnectionStringParser.Parse(text), p => p.Key == "password");
        Assert.Equal("'se;cret'", text[pair.ValueStart..pair.ValueEnd]);
        var user = Assert.Single(SqlClientConnectionStringParser.Parse(text), p => p.Key == "user id");
        Assert.Equal("u", text[user.ValueStart..user.ValueEnd]);
    }

    [Theory]
    [InlineData("Server")]
    [InlineData("Server=db;User")]
    [InlineData("=value")]
    [InlineData("Password='unterminated")]
    [InlineData("Password=\"unterminated")]
    [InlineData("Password='a'b")]
    [InlineData("Server=db'")]
    [InlineData("Server=db\"")]
    [InlineData("Ser\u0001ver=db")]
    [InlineData("Server=\u0001db")]
    public void Rejects_what_SqlClient_rejects(string connectionString)
    {
        var error = Assert.Throws<DbTlsException>(() => SqlClientConnectionStringParser.Parse(connectionString));
        Assert.Equal(FindingCodes.ConfigInvalid, error.Code);
        Assert.Contains("syntax error", error.Message, StringComparison.Ordinal);
    }
}
