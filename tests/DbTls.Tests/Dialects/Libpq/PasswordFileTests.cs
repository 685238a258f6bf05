using DbTls.Diagnostics;

namespace DbTls.Tests.Dialects.Libpq;

public sealed class PasswordFileTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private const string Base = "host=db.example.com port=5432 dbname=app user=alice sslmode=disable";

    [Theory]
    [InlineData("db.example.com:5432:app:alice:exact", "exact")]
    [InlineData("*:*:*:*:wild", "wild")]
    [InlineData("db.example.com:*:app:*:partly", "partly")]
    [InlineData("other:5432:app:alice:no\n*:5432:app:alice:second", "second")]
    [InlineData("*:*:*:*:first\n*:*:*:*:later", "first")]
    [InlineData("# comment\n\ndb.example.com:5432:app:alice:after-comment", "after-comment")]
    [InlineData("db.example.com:5432:app:alice:pa\\:ss\\\\word:ignored", "pa:ss\\word")]
    [InlineData("db.example.com:5432:app:alice:crlf\r\n", "crlf")]
    public void Lines_match_like_libpq(string content, string password)
    {
        _home.Write(".pgpass", content);
        var spec = _home.Parse(Base);
        Assert.NotNull(spec.Password);
        Assert.Equal(password, spec.Password.Reveal());
        var source = Assert.Single(spec.Sources, s => s.StartsWith("password from", StringComparison.Ordinal));
        Assert.DoesNotContain(password, source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db.example.com:5433:app:alice:x")]
    [InlineData("db.example.com:5432:other:alice:x")]
    [InlineData("db.example.com:5432:app:bob:x")]
    [InlineData("DB.example.com:5432:app:alice:x")]
    [InlineData("db.example.com:5432:app")]
    [InlineData("*x:5432:app:alice:x")]
    public void Lines_that_do_not_match_give_no_password(string content)
    {
        _home.Write(".pgpass", content);
        Assert.Null(_home.Parse(Base).Password);
    }

    [Fact]
    public void Escaped_colons_in_fields_match_literal_colons()
    {
        _home.Write(".pgpass", "*:*:*:us\\:er:secret");
        Assert.Equal("secret", _home.Parse("host=h user=us:er sslmode=disable").Password!.Reveal());
    }

    [Fact]
    public void The_port_is_matched_as_written()
    {
        // libpq compares the port string, so 05432 does not match 5432.
        _home.Write(".pgpass", "h:5432:*:*:secret");
        Assert.Null(_home.Parse("host=h port=05432 sslmode=disable").Password);
        Assert.Equal("secret", _home.Parse("host=h sslmode=disable").Password!.Reveal());
    }

    [Fact]
    public void Hostaddr_is_the_key_when_no_host_is_given()
    {
        _home.Write(".pgpass", "127.0.0.1:5432:*:*:by-address");
        Assert.Equal("by-address", _home.Parse("hostaddr=127.0.0.1 sslmode=disable").Password!.Reveal());
    }

    [Fact]
    public void Host_is_the_key_when_both_are_given()
    {
        _home.Write(".pgpass", "127.0.0.1:5432:*:*:by-address\nname:5432:*:*:by-name");
        Assert.Equal("by-name", _home.Parse("host=name hostaddr=127.0.0.1 sslmode=disable").Password!.Reveal());
    }

    [Fact]
    public void A_group_or_world_readable_file_is_ignored_with_a_warning()
    {
        var path = _home.Write(".pgpass", "*:*:*:*:secret", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var spec = _home.Parse(Base);
        Assert.Null(spec.Password);
        var warning = Assert.Single(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Severity == Severity.Warning);
        Assert.Contains(path, warning.Message, StringComparison.Ordinal);
        Assert.Contains("0640", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_group_or_other_bit_is_enough_to_ignore_the_file()
    {
        _home.Write(".pgpass", "*:*:*:*:secret", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherExecute);
        Assert.Null(_home.Parse(Base).Password);
    }

    [Fact]
    public void A_directory_is_not_a_password_file()
    {
        Directory.CreateDirectory(Path.Combine(_home.Root, ".pgpass"));
        var spec = _home.Parse(Base);
        Assert.Null(spec.Password);
        Assert.Contains(spec.Findings, f => f.Message.Contains("not a plain file", StringComparison.Ordinal));
    }

    [Fact]
    public void Pgpassfile_and_passfile_choose_the_file()
    {
        var envFile = _home.Write("env-pass", "*:*:*:*:from-env-file");
        var keywordFile = _home.Write("keyword-pass", "*:*:*:*:from-keyword-file");
        _home.Write(".pgpass", "*:*:*:*:from-default");

        Assert.Equal("from-env-file", _home.Parse(Base, ("PGPASSFILE", envFile)).Password!.Reveal());
        Assert.Equal("from-keyword-file", _home.Parse($"{Base} passfile={keywordFile}", ("PGPASSFILE", envFile)).Password!.Reveal());
    }

    [Fact]
    public void A_given_password_is_never_replaced()
    {
        _home.Write(".pgpass", "*:*:*:*:from-file");
        Assert.Equal("given", _home.Parse($"{Base} password=given").Password!.Reveal());
        Assert.Equal("env", _home.Parse(Base, ("PGPASSWORD", "env")).Password!.Reveal());
    }

    [Fact]
    public void An_empty_password_still_looks_in_the_file()
    {
        _home.Write(".pgpass", "*:*:*:*:from-file");
        Assert.Equal("from-file", _home.Parse($"{Base} password=''").Password!.Reveal());
    }

    [Fact]
    public void The_defaulted_user_and_database_are_the_keys()
    {
        _home.Write(".pgpass", "h:5432:osuser:osuser:defaults");
        Assert.Equal("defaults", _home.Parse("host=h sslmode=disable").Password!.Reveal());
    }

    [Fact]
    public void A_first_matching_line_with_an_empty_password_ends_the_search_without_a_password()
    {
        _home.Write(".pgpass", "*:*:*:*:\n*:*:*:*:later");
        var spec = _home.Parse(Base);
        Assert.Null(spec.Password);
        Assert.Contains(spec.Sources, s => s.StartsWith("empty password in", StringComparison.Ordinal));
    }

    [Fact]
    public void No_file_no_password()
    {
        Assert.Null(_home.Parse(Base).Password);
    }
}
