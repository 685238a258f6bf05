using DbTls.Diagnostics;

namespace DbTls.Tests.Dialects.Libpq;

/// <summary>Value checks, host and port handling, connect_timeout, and combinations that cannot work.</summary>
public sealed class ValidationTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("host=h sslmode=bogus", "invalid sslmode value: \"bogus\"")]
    [InlineData("host=h sslmode=REQUIRE", "invalid sslmode value: \"REQUIRE\"")]
    [InlineData("host=h channel_binding=bogus", "invalid channel_binding value: \"bogus\"")]
    [InlineData("host=h sslnegotiation=bogus", "invalid sslnegotiation value: \"bogus\"")]
    [InlineData("host=h sslcertmode=bogus", "invalid sslcertmode value: \"bogus\"")]
    [InlineData("host=h gssencmode=bogus", "invalid gssencmode value: \"bogus\"")]
    [InlineData("host=h port=abc", "invalid integer value \"abc\" for connection option \"port\"")]
    [InlineData("host=h port=70000", "invalid port number: \"70000\"")]
    [InlineData("host=h port=0", "invalid port number: \"0\"")]
    [InlineData("host=h port=-1", "invalid port number: \"-1\"")]
    [InlineData("host=h connect_timeout=abc", "invalid integer value \"abc\" for connection option \"connect_timeout\"")]
    [InlineData("host=h connect_timeout=2x", "invalid integer value \"2x\" for connection option \"connect_timeout\"")]
    [InlineData("host=h connect_timeout=''", "invalid integer value \"\" for connection option \"connect_timeout\"")]
    [InlineData("host=h connect_timeout=99999999999", "invalid integer value \"99999999999\" for connection option \"connect_timeout\"")]
    [InlineData("hostaddr=abc", "could not parse network address \"abc\": Name or service not known")]
    [InlineData("hostaddr=db.example.com", "could not parse network address \"db.example.com\": Name or service not known")]
    [InlineData("host=a,b", "multiple hosts are not supported yet")]
    [InlineData("hostaddr=127.0.0.1,127.0.0.2", "multiple hosts are not supported yet")]
    [InlineData("host=h port=1,2", "could not match 2 port numbers to 1 hosts")]
    [InlineData("sslmode=disable", "no host given: libpq would connect through a Unix-domain socket, where TLS does not apply")]
    [InlineData("host='' sslmode=disable", "no host given: libpq would connect through a Unix-domain socket, where TLS does not apply")]
    [InlineData("host=/var/run/postgresql", "host \"/var/run/postgresql\" is a Unix-domain socket directory: libpq would connect through a Unix-domain socket, where TLS does not apply")]
    [InlineData("host=@abstract", "host \"@abstract\" is a Unix-domain socket directory: libpq would connect through a Unix-domain socket, where TLS does not apply")]
    [InlineData("hostaddr=127.0.0.1 sslmode=verify-full sslrootcert=system", "host name must be specified for a verified SSL connection")]
    public void Invalid_settings_are_rejected_with_libpq_wording(string conninfo, string message)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse(conninfo));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Equal(message, ex.Message);
        Assert.Equal(ExitCodes.InvalidInput, FindingCatalog.ExitCodeFor(ex.Code));
        Assert.False(string.IsNullOrEmpty(ex.Remedy ?? FindingCatalog.Get(ex.Code).Remedy));
    }

    [Theory]
    [InlineData("channel_binding=require", "channel_binding=require cannot work with sslmode=disable")]
    [InlineData("sslcertmode=require", "sslcertmode=require cannot work with sslmode=disable")]
    public void Settings_that_need_tls_are_rejected_with_sslmode_disable(string setting, string messageStart)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse($"host=h sslmode=disable {setting}"));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.StartsWith(messageStart, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("prefer")]
    [InlineData("require")]
    public void Settings_that_need_tls_are_accepted_when_tls_may_be_used(string mode)
    {
        var spec = _home.Parse($"host=h sslmode={mode} channel_binding=require sslcertmode=require");
        Assert.Equal(mode, spec.SslMode);
    }

    [Theory]
    [InlineData("connect_timeout=10", 10)]
    [InlineData("connect_timeout=' 10 '", 10)]
    [InlineData("connect_timeout=+3", 3)]
    [InlineData("connect_timeout=1", 2)]
    [InlineData("connect_timeout=2", 2)]
    [InlineData("connect_timeout=0", null)]
    [InlineData("connect_timeout=-5", null)]
    [InlineData("", null)]
    public void Connect_timeout_follows_libpq(string setting, int? seconds)
    {
        var spec = _home.Parse($"host=h sslmode=disable {setting}");
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), spec.ConnectTimeout);
    }

    [Theory]
    [InlineData("port=' 6000 '", 6000)]
    [InlineData("port=+6000", 6000)]
    [InlineData("port=''", 5432)]
    [InlineData("port=65535", 65535)]
    public void Ports_parse_like_libpq(string setting, int port)
    {
        Assert.Equal(port, _home.Parse($"host=h sslmode=disable {setting}").Port);
    }

    [Theory]
    [InlineData("hostaddr=127.0.0.1", null, "127.0.0.1")]
    [InlineData("hostaddr=::1", null, "::1")]
    [InlineData("host=db.example.com hostaddr=192.0.2.7", "db.example.com", "192.0.2.7")]
    [InlineData("host=/tmp hostaddr=192.0.2.7", "/tmp", "192.0.2.7")]
    public void Hostaddr_connects_over_tcp_and_host_stays_the_name(string settings, string? host, string address)
    {
        var spec = _home.Parse($"{settings} sslmode=disable");
        Assert.Equal(host, spec.Host);
        Assert.Equal(address, spec.HostAddress);
    }

    [Fact]
    public void Application_name_falls_back_to_fallback_application_name()
    {
        Assert.Equal("fb", _home.Parse("host=h sslmode=disable fallback_application_name=fb").ApplicationName);
        Assert.Equal("app", _home.Parse("host=h sslmode=disable fallback_application_name=fb application_name=app").ApplicationName);
    }

    [Fact]
    public void The_first_error_is_the_one_libpq_reports_first()
    {
        // channel_binding is checked before sslmode, sslmode before the protocol versions.
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h sslmode=bogus channel_binding=bogus ssl_min_protocol_version=x"));
        Assert.Equal("invalid channel_binding value: \"bogus\"", ex.Message);
    }
}
