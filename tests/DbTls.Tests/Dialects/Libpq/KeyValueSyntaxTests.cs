using DbTls.Diagnostics;

namespace DbTls.Tests.Dialects.Libpq;

public sealed class KeyValueSyntaxTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Spaces_around_equals_quotes_and_escapes_are_read_like_libpq()
    {
        var spec = _home.Parse(@"host = db.example.com port= 5433  user='a b' dbname='it\'s' application_name=x\ y password='' sslmode=disable");

        Assert.Equal("db.example.com", spec.Host);
        Assert.Equal(5433, spec.Port);
        Assert.Equal("a b", spec.User);
        Assert.Equal("it's", spec.Database);
        Assert.Equal("x y", spec.ApplicationName);
        Assert.Null(spec.Password);
    }

    [Fact]
    public void Backslash_escapes_a_backslash_inside_quotes()
    {
        var spec = _home.Parse(@"host=h dbname='c:\\dir' sslmode=disable");
        Assert.Equal(@"c:\dir", spec.Database);
    }

    [Fact]
    public void A_blank_after_equals_is_skipped_so_the_next_word_becomes_the_value()
    {
        // libpq skips white space after '=', so "host= port=5" sets host to "port=5".
        var spec = _home.Parse("host= port=5 sslmode=disable");
        Assert.Equal("port=5", spec.Host);
        Assert.Equal(5432, spec.Port);
    }

    [Fact]
    public void A_later_setting_replaces_an_earlier_one()
    {
        var spec = _home.Parse("host=first host=second sslmode=disable");
        Assert.Equal("second", spec.Host);
    }

    [Fact]
    public void Empty_string_and_white_space_only_mean_all_defaults()
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("   "));
        Assert.Contains("Unix-domain socket", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=a port", "missing \"=\" after \"port\" in connection info string")]
    [InlineData("host=a port 5432", "missing \"=\" after \"port\" in connection info string")]
    [InlineData("host='abc", "unterminated quoted string in connection info string")]
    [InlineData(@"host='abc\'", "unterminated quoted string in connection info string")]
    [InlineData("foo=bar host=a", "invalid connection option \"foo\"")]
    [InlineData("Host=a", "invalid connection option \"Host\"")]
    [InlineData("host=a =x", "invalid connection option \"\"")]
    [InlineData("ssl=true host=a", "invalid connection option \"ssl\"")]
    public void Syntax_errors_use_libpq_wording(string conninfo, string message)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse(conninfo));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Equal(message, ex.Message);
        Assert.Equal(ExitCodes.InvalidInput, FindingCatalog.ExitCodeFor(ex.Code));
    }

    [Theory]
    [InlineData("requiressl=1", "require")]
    [InlineData("requiressl=1x", "require")]
    [InlineData("requiressl=0", "prefer")]
    [InlineData("requiressl=yes", "prefer")]
    [InlineData("sslmode=disable requiressl=1", "require")]
    [InlineData("requiressl=1 sslmode=disable", "disable")]
    public void Requiressl_is_rewritten_to_sslmode_where_it_stands(string settings, string sslMode)
    {
        var spec = _home.Parse("host=h " + settings);
        Assert.Equal(sslMode, spec.SslMode);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("requiressl", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("options='-c search_path=x'")]
    [InlineData("keepalives=1 keepalives_idle=10 keepalives_interval=5 keepalives_count=3")]
    [InlineData("target_session_attrs=read-write load_balance_hosts=random")]
    [InlineData("passfile=/nonexistent")]
    [InlineData("krbsrvname=postgres gsslib=gssapi replication=database")]
    [InlineData("sslcompression=1 require_auth=scram-sha-256 fallback_application_name=x")]
    [InlineData("client_encoding=UTF8 tcp_user_timeout=1000 requirepeer=postgres")]
    [InlineData("sslkeylogfile=/tmp/k min_protocol_version=3.0 max_protocol_version=latest gssdelegation=0")]
    public void Other_libpq_keywords_are_accepted_and_ignored(string settings)
    {
        var spec = _home.Parse("host=h sslmode=disable " + settings);
        Assert.Equal("h", spec.Host);
    }

    [Theory]
    [InlineData("target_session_attrs=bogus", "invalid target_session_attrs value: \"bogus\"")]
    [InlineData("load_balance_hosts=bogus", "invalid load_balance_hosts value: \"bogus\"")]
    [InlineData("require_auth=bogus", "invalid require_auth value: \"bogus\"")]
    [InlineData("require_auth=password,!md5", "negative require_auth method \"!md5\" cannot be mixed with non-negative methods")]
    [InlineData("require_auth=!password,md5", "require_auth method \"md5\" cannot be mixed with negative methods")]
    [InlineData("require_auth=md5,md5", "require_auth method \"md5\" is specified more than once")]
    public void Ignored_keywords_are_still_validated_like_libpq(string settings, string message)
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h " + settings));
        Assert.Equal(message, ex.Message);
    }
}
