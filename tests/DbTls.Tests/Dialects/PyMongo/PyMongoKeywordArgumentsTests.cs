using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.PyMongo;
using DbTls.Tests.Cli;

namespace DbTls.Tests.Dialects.PyMongo;

/// <summary>PyMongo 3.11's reading of keyword arguments (the rules PyMongoParityTests measures against the real PyMongo), and the CLI's --option.</summary>
public sealed class PyMongoKeywordArgumentsTests
{
    [Fact]
    public void Names_are_case_insensitive_and_a_later_keyword_replaces_an_earlier_one()
    {
        var options = Read([new("TLSCAFILE", "/a.pem"), new("tlsCAFile", "/b.pem"), new("tls", "true")]);

        Assert.Equal("/b.pem", options.TlsCAFile);
        Assert.True(options.Tls);
    }

    [Theory]
    [InlineData("tlsFoo", "true", "ConfigurationError: Unknown option tlsFoo")]
    [InlineData("tls", "True", "ValueError: The value of tls must be 'true' or 'false'")]
    [InlineData("tlsInsecure", "1", "ValueError: The value of tlsInsecure must be 'true' or 'false'")]
    public void Pymongo_refusals_are_config_invalid_in_its_words(string key, string value, string message)
    {
        var ex = Assert.Throws<DbTlsException>(() => Read([new(key, value)]));

        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void TlsInsecure_in_the_uri_and_a_finer_option_as_keyword_conflict()
    {
        var ex = Assert.Throws<DbTlsException>(() => Read([new("tlsAllowInvalidHostnames", "true")], "tlsinsecure"));

        Assert.Contains("tlsInsecure and tlsAllowInvalidHostnames cannot be specified simultaneously", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tls_option_alone_turns_tls_on_and_says_so()
    {
        var notes = ImmutableArray.CreateBuilder<Finding>();

        var options = PyMongoKeywordArguments.Read([new("tlsCAFile", "/ca.pem")], new Dictionary<string, string>(), notes);

        Assert.True(options.Tls);
        Assert.Contains(notes, f => f.Message.Contains("PyMongo 3.x turns TLS on", StringComparison.Ordinal));
    }

    [Fact]
    public void Tls_false_beside_a_tls_file_option_is_refused()
    {
        var ex = Assert.Throws<DbTlsException>(() => Read([new("tls", "false")], "tlscafile"));

        Assert.StartsWith("ConfigurationError: ssl has not been enabled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_password_is_a_secret()
    {
        Assert.True(PyMongoKeywordArguments.IsSecret("tlsCertificateKeyFilePassword"));
        Assert.True(PyMongoKeywordArguments.IsSecret("PASSWORD"));
        Assert.False(PyMongoKeywordArguments.IsSecret("tlsCAFile"));
    }

    [Fact]
    public async Task The_cli_option_selects_pymongo_and_masks_a_password_keyword()
    {
        var result = await CliRun.RunAsync(["check", "mongodb://db.example.com/", "--option", "password=hunter2", "--option", "tlsFoo=1", "--format", "json"], new Dictionary<string, string>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\"dialect\": \"pymongo\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Unknown option tlsFoo", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_option_with_a_libpq_string_is_refused_before_connecting()
    {
        var result = await CliRun.RunAsync(["check", "host=db.example.com sslmode=require", "--option", "tls=true"], new Dictionary<string, string>());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--option gives PyMongo keyword arguments", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_option_without_an_equals_sign_is_a_usage_error_that_does_not_echo_it()
    {
        var result = await CliRun.RunAsync(["check", "mongodb://db.example.com/", "--option", "s3cretvalue"], new Dictionary<string, string>());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--option takes KEY=VALUE", result.All, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cretvalue", result.All, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls", "true", "ssl", "true", false)]
    [InlineData("tls", "true", "ssl", "false", true)]
    [InlineData("ssl", "false", "tls", "false", false)]
    public void Ssl_and_tls_conflict_only_when_their_values_differ(string uriKey, string uriValue, string keyword, string value, bool conflict)
    {
        var uri = new Dictionary<string, string> { [uriKey] = uriValue };
        var read = () => PyMongoKeywordArguments.Read([new(keyword, value)], uri, ImmutableArray.CreateBuilder<Finding>());

        if (conflict)
        {
            Assert.Contains("conflicting values for URI options ssl and tls", Assert.Throws<DbTlsException>(read).Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(value == "true", read().Tls);
        }
    }

    private static DbTls.Dialects.Mongo.MongoClientOptions Read(KeyValuePair<string, string>[] arguments, params string[] uriKeys) =>
        PyMongoKeywordArguments.Read(arguments, uriKeys.ToDictionary(k => k, _ => "true"), ImmutableArray.CreateBuilder<Finding>());
}
