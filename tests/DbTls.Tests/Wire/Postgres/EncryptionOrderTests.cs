using DbTls.Checks;
using DbTls.Dialects.Libpq;
using static DbTls.Checks.PostgresCheck.EncryptionMethod;

namespace DbTls.Tests.Wire.Postgres;

/// <summary>libpq's order of encryption methods per sslmode (fe-connect.c select_next_encryption_method).</summary>
public sealed class EncryptionOrderTests
{
    [Theory]
    [InlineData("disable", new[] { "none" })]
    [InlineData("allow", new[] { "none", "sslrequest" })]
    [InlineData("prefer", new[] { "sslrequest", "none" })]
    [InlineData("require", new[] { "sslrequest" })]
    [InlineData("verify-ca", new[] { "sslrequest" })]
    [InlineData("verify-full", new[] { "sslrequest" })]
    public void Follows_libpq(string sslmode, string[] expected)
    {
        Assert.Equal(expected, PostgresCheck.EncryptionMethods(PostgresTestSpecs.For(sslmode, 5432), unixSocket: false).Select(PostgresCheck.MethodName));
    }

    [Fact]
    public void Direct_negotiation_replaces_sslrequest()
    {
        Assert.Equal([Direct], PostgresCheck.EncryptionMethods(PostgresTestSpecs.For("verify-full", 5432, negotiation: PostgresNegotiation.Direct), unixSocket: false));
    }

    [Theory]
    [InlineData("require")]
    [InlineData("verify-full")]
    public void Unix_sockets_never_use_tls(string sslmode)
    {
        Assert.Equal([Plaintext], PostgresCheck.EncryptionMethods(PostgresTestSpecs.For(sslmode, 5432, host: "/tmp"), unixSocket: true));
    }

    [Fact]
    public void Direct_tls_always_offers_alpn_postgresql()
    {
        var policy = PostgresTestSpecs.For("require", 5432).Tls;
        Assert.Equal(["postgresql"], PostgresCheck.EffectivePolicy(policy, Direct).Alpn.ToArray());
        Assert.True(PostgresCheck.EffectivePolicy(policy, SslRequest).Alpn.IsDefaultOrEmpty);
    }
}
