using DbTls.Diagnostics;

namespace DbTls.Tests.Dialects.Libpq;

public sealed class UriSyntaxTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Every_part_is_percent_decoded()
    {
        var spec = _home.Parse("postgresql://us%40er:p%40ss%3Aw@db.example.com:5433/my%20db?sslmode=disable&application_name=a%26b%3d");

        Assert.Equal("us@er", spec.User);
        Assert.Equal("p@ss:w", spec.Password!.Reveal());
        Assert.Equal("db.example.com", spec.Host);
        Assert.Equal(5433, spec.Port);
        Assert.Equal("my db", spec.Database);
        Assert.Equal("a&b=", spec.ApplicationName);
        Assert.Equal("disable", spec.SslMode);
    }

    [Fact]
    public void Percent_encoded_utf8_becomes_text()
    {
        var spec = _home.Parse("postgres://h/caf%C3%A9?sslmode=disable");
        Assert.Equal("café", spec.Database);
    }

    [Fact]
    public void Query_keywords_are_decoded_too()
    {
        var spec = _home.Parse("postgresql://h/db?ssl%6dode=disable");
        Assert.Equal("disable", spec.SslMode);
    }

    [Theory]
    [InlineData("postgresql://[::1]:5433/db?sslmode=disable", "::1", 5433)]
    [InlineData("postgresql://[2001:db8::1]/db?sslmode=disable", "2001:db8::1", 5432)]
    [InlineData("postgresql://[::1]?sslmode=disable", "::1", 5432)]
    [InlineData("postgresql://127.0.0.1:6000?sslmode=disable", "127.0.0.1", 6000)]
    [InlineData("postgresql://u@h:?sslmode=disable", "h", 5432)]
    public void Hosts_and_ports_including_bracketed_ipv6(string uri, string host, int port)
    {
        var spec = _home.Parse(uri);
        Assert.Equal(host, spec.Host);
        Assert.Equal(port, spec.Port);
    }

    [Fact]
    public void A_slash_in_the_database_part_belongs_to_the_name()
    {
        Assert.Equal("a/b", _home.Parse("postgresql://h/a/b?sslmode=disable").Database);
    }

    [Fact]
    public void Missing_parts_fall_back_to_environment_and_defaults()
    {
        var spec = _home.Parse("postgresql:///?sslmode=disable", ("PGHOST", "envhost"), ("PGDATABASE", "envdb"));
        Assert.Equal("envhost", spec.Host);
        Assert.Equal("envdb", spec.Database);
        Assert.Equal("osuser", spec.User);
    }

    [Fact]
    public void An_empty_user_info_sets_nothing()
    {
        var spec = _home.Parse("postgresql://:@h/db?sslmode=disable", ("PGUSER", "envuser"), ("PGPASSWORD", "envpass"));
        Assert.Equal("envuser", spec.User);
        Assert.Equal("envpass", spec.Password!.Reveal());
    }

    [Fact]
    public void Ssl_true_means_require_and_is_noted()
    {
        var spec = _home.Parse("postgresql://h/db?ssl=true");
        Assert.Equal("require", spec.SslMode);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("ssl=true", StringComparison.Ordinal));
    }

    [Fact]
    public void Spaces_around_a_component_are_dropped()
    {
        Assert.Equal("x", _home.Parse("postgresql://h/db?sslmode=disable&application_name= x ").ApplicationName);
        Assert.Equal(" x", _home.Parse("postgresql://h/db?sslmode=disable&application_name=%20x").ApplicationName);
    }

    [Theory]
    [InlineData("postgresql://h/%zz", "invalid percent-encoded token: \"%zz\"")]
    [InlineData("postgresql://h/db%4", "invalid percent-encoded token: \"db%4\"")]
    [InlineData("postgresql://h/%", "invalid percent-encoded token: \"%\"")]
    [InlineData("postgresql://h/%00", "forbidden value %00 in percent-encoded value: \"%00\"")]
    [InlineData("postgresql://[::1", "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1\"")]
    [InlineData("postgresql://[]/db", "IPv6 host address may not be empty in URI: \"postgresql://[]/db\"")]
    [InlineData("postgresql://[::1]x/db", "unexpected character \"x\" at position 19 in URI (expected \":\" or \"/\"): \"postgresql://[::1]x/db\"")]
    [InlineData("postgresql://h/db?a", "missing key/value separator \"=\" in URI query parameter: \"a\"")]
    [InlineData("postgresql://h/db?&sslmode=require", "missing key/value separator \"=\" in URI query parameter: \"\"")]
    [InlineData("postgresql://h/db?a=b=c", "extra key/value separator \"=\" in URI query parameter: \"a\"")]
    [InlineData("postgresql://h/db?foo=1", "invalid URI query parameter: \"foo\"")]
    [InlineData("postgresql://h/db?ssl=false", "invalid URI query parameter: \"ssl\"")]
    [InlineData("postgresql://h/db?application_name=a b", "unexpected spaces found in \"a b\", use percent-encoded spaces (%20) instead")]
    [InlineData("postgresql://h/db?sslmode=bogus", "invalid sslmode value: \"bogus\"")]
    [InlineData("postgresql://h1,h2/db", "multiple hosts are not supported yet")]
    [InlineData("postgresql://h1:5432,h2:5433/db", "multiple hosts are not supported yet")]
    [InlineData("postgresql://%2Fvar%2Frun%2Fpostgresql/db", "host \"/var/run/postgresql\" is a Unix-domain socket directory: libpq would connect through a Unix-domain socket, where TLS does not apply")]
    [InlineData("postgresql://h:abc/db", "invalid integer value \"abc\" for connection option \"port\"")]
    public void Uri_errors_use_libpq_wording(string uri, string message)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse(uri));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("postgresql://u:p@Zq9@h/db")]
    [InlineData("postgresql://u:p/Zq9@h/db")]
    [InlineData("postgresql://h/Zq9@x")]
    public void A_raw_at_sign_after_the_host_is_refused_without_echoing_the_uri(string uri)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse(uri));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.StartsWith("invalid URI: an \"@\" after the host or in the database name", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_at_sign_in_the_query_is_fine()
    {
        Assert.Equal("a@b", _home.Parse("postgresql://h/db?sslmode=disable&application_name=a@b").ApplicationName);
    }

    [Fact]
    public void A_trailing_ampersand_ends_the_query_without_an_error()
    {
        Assert.Equal("disable", _home.Parse("postgresql://h/db?sslmode=disable&").SslMode);
    }

    [Fact]
    public void Only_the_exact_lower_case_prefixes_make_a_uri()
    {
        // Anything else is keyword/value syntax, where this is a keyword without '='.
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("POSTGRESQL://h/db"));
        Assert.Equal("missing \"=\" after \"POSTGRESQL://h/db\" in connection info string", ex.Message);
    }
}
