using System.Net;
using System.Net.Sockets;
using DbTls.Diagnostics;
using DbTls.Wire.Postgres;

namespace DbTls.Tests.Wire.Postgres;

public sealed class PostgresEndpointsTests
{
    // Expected values follow glibc's inet_aton (what getaddrinfo applies to numeric hosts).
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.000.000.001", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0X7F000001", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("010.0.0.1", "8.0.0.1")]
    [InlineData("10.0.65535", "10.0.255.255")]
    [InlineData("0", "0.0.0.0")]
    public void Parses_inet_aton_forms(string text, string expected)
    {
        Assert.True(PostgresEndpoints.TryParseInetAton(text, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.256")]
    [InlineData("127.0.0.1.")]
    [InlineData("1.2.3.4.5")]
    [InlineData("08.1.1.1")]
    [InlineData("127.0.0.1 ")]
    [InlineData(" 127.0.0.1")]
    [InlineData("127..1")]
    [InlineData("4294967296")]
    [InlineData("10.0.65536")]
    [InlineData("0x1g")]
    [InlineData("+1.2.3.4")]
    [InlineData("db.example.com")]
    public void Rejects_what_inet_aton_rejects(string text)
    {
        Assert.False(PostgresEndpoints.TryParseInetAton(text, out _));
    }

    [Fact]
    public void Parses_ipv6_literals()
    {
        Assert.True(PostgresEndpoints.TryParseNumeric("::1", out var address));
        Assert.Equal(IPAddress.IPv6Loopback, address);
        Assert.False(PostgresEndpoints.TryParseNumeric("::g", out _));
    }

    [Fact]
    public async Task Hostaddr_wins_over_host()
    {
        var endpoints = await PostgresEndpoints.ResolveAsync("db.invalid", "127.000.000.001", 6432, CancellationToken.None);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6432), Assert.Single(endpoints));
    }

    [Fact]
    public async Task Non_numeric_hostaddr_is_a_configuration_error()
    {
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => PostgresEndpoints.ResolveAsync("db", "db.example.com", 5432, CancellationToken.None));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
    }

    [Fact]
    public async Task Unix_socket_directory_becomes_the_socket_file()
    {
        var endpoint = Assert.Single(await PostgresEndpoints.ResolveAsync("/var/run/postgresql", null, 5433, CancellationToken.None));
        Assert.IsType<UnixDomainSocketEndPoint>(endpoint);
        Assert.Equal("/var/run/postgresql/.s.PGSQL.5433", endpoint.ToString());
    }

    // Asks the machine's DNS resolver (a network peer), so it is not part of the unit run.
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Unknown_host_name_is_unreachable()
    {
        var ex = await Assert.ThrowsAsync<DbTlsException>(() => PostgresEndpoints.ResolveAsync("no-such-host.invalid", null, 5432, CancellationToken.None));
        Assert.Equal(FindingCodes.NetUnreachable, ex.Code);
    }
}
