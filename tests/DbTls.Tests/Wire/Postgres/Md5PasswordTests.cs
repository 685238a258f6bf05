using System.Text;
using DbTls.Wire.Postgres;

namespace DbTls.Tests.Wire.Postgres;

public sealed class Md5PasswordTests
{
    // Expected values computed independently with Python's hashlib; the inner hash of "postgres"/"postgres"
    // is the well-known pg_authid value md53175bce1d3201d16594cebf9d7eb3f9d.
    [Theory]
    [InlineData("postgres", "postgres", new byte[] { 1, 2, 3, 4 }, "md568be9ed08db75f318087ab337aaea044")]
    [InlineData("pässwörd", "alice", new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, "md5f844ef79d5bdbe1ed21eaba5f0e4488a")]
    public void Matches_postgresql_md5_scheme(string password, string user, byte[] salt, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(Md5Password.Compute(password, user, salt)));
    }

    [Fact]
    public void Salt_must_be_four_bytes()
    {
        Assert.Throws<ArgumentException>(() => Md5Password.Compute("x", "y", [1, 2, 3]));
    }
}
