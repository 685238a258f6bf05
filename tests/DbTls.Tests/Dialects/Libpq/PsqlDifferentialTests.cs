using System.Diagnostics;
using DbTls.Diagnostics;

namespace DbTls.Tests.Dialects.Libpq;

/// <summary>
/// The same connection strings given to the real libpq (psql 15) and to dbtls. psql runs with a
/// clean environment and a fresh HOME; every case is decided before any server is needed: either
/// libpq rejects the string, or it gets as far as connecting to a closed port on 127.0.0.1.
/// psql 15 predates sslrootcert=system, sslnegotiation, sslcertmode and require_auth, so those
/// are not compared here.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PsqlDifferentialTests : IDisposable
{
    private const string Psql = "/usr/bin/psql";
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("host=127.0.0.1 sslmode=bogus", "invalid sslmode value: \"bogus\"")]
    [InlineData("host=127.0.0.1 sslmode=''", "invalid sslmode value: \"\"")]
    [InlineData("host=127.0.0.1 foo=bar", "invalid connection option \"foo\"")]
    [InlineData("host=127.0.0.1 port", "missing \"=\" after \"port\" in connection info string")]
    [InlineData("host='127.0.0.1", "unterminated quoted string in connection info string")]
    [InlineData("host=127.0.0.1 channel_binding=bogus", "invalid channel_binding value: \"bogus\"")]
    [InlineData("host=127.0.0.1 gssencmode=bogus", "invalid gssencmode value: \"bogus\"")]
    [InlineData("host=127.0.0.1 target_session_attrs=bogus", "invalid target_session_attrs value: \"bogus\"")]
    [InlineData("host=127.0.0.1 ssl_min_protocol_version=TLSv1.4", "invalid ssl_min_protocol_version value: \"TLSv1.4\"")]
    [InlineData("host=127.0.0.1 ssl_max_protocol_version=tls", "invalid ssl_max_protocol_version value: \"tls\"")]
    [InlineData("host=127.0.0.1 ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2", "invalid SSL protocol version range")]
    [InlineData("host=127.0.0.1 ssl_min_protocol_version=TLSv1.1 ssl_max_protocol_version=TLSv1", "invalid SSL protocol version range")]
    [InlineData("host=127.0.0.1 port=abc", "invalid integer value \"abc\" for connection option \"port\"")]
    [InlineData("host=127.0.0.1 port=70000", "invalid port number: \"70000\"")]
    [InlineData("host=127.0.0.1 port=0", "invalid port number: \"0\"")]
    [InlineData("host=127.0.0.1 port=1,2", "could not match 2 port numbers to 1 hosts")]
    [InlineData("host=127.0.0.1 port=1 connect_timeout=abc", "invalid integer value \"abc\" for connection option \"connect_timeout\"")]
    [InlineData("host=127.0.0.1 port=1 connect_timeout=''", "invalid integer value \"\" for connection option \"connect_timeout\"")]
    [InlineData("hostaddr=abc", "could not parse network address \"abc\": Name or service not known")]
    [InlineData("postgresql://127.0.0.1/%zz", "invalid percent-encoded token: \"%zz\"")]
    [InlineData("postgresql://127.0.0.1/db%4", "invalid percent-encoded token: \"db%4\"")]
    [InlineData("postgresql://127.0.0.1/%00", "forbidden value %00 in percent-encoded value: \"%00\"")]
    [InlineData("postgresql://[::1", "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1\"")]
    [InlineData("postgresql://[]/db", "IPv6 host address may not be empty in URI: \"postgresql://[]/db\"")]
    [InlineData("postgresql://[::1]x/db", "unexpected character \"x\" at position 19 in URI (expected \":\" or \"/\"): \"postgresql://[::1]x/db\"")]
    [InlineData("postgresql://127.0.0.1/db?a", "missing key/value separator \"=\" in URI query parameter: \"a\"")]
    [InlineData("postgresql://127.0.0.1/db?&sslmode=disable", "missing key/value separator \"=\" in URI query parameter: \"\"")]
    [InlineData("postgresql://127.0.0.1/db?a=b=c", "extra key/value separator \"=\" in URI query parameter: \"a\"")]
    [InlineData("postgresql://127.0.0.1/db?foo=1", "invalid URI query parameter: \"foo\"")]
    [InlineData("postgresql://127.0.0.1/db?ssl=false", "invalid URI query parameter: \"ssl\"")]
    [InlineData("postgresql://127.0.0.1/db?sslmode=bogus", "invalid sslmode value: \"bogus\"")]
    [InlineData("postgres://127.0.0.1:1/db?ssl_min_protocol_version=TLSv1.3&ssl_max_protocol_version=TLSv1.2", "invalid SSL protocol version range")]
    public void Both_reject_with_the_same_message(string connectionString, string message)
    {
        var psql = RunPsql(connectionString);
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse(connectionString));

        Assert.Equal(2, psql.ExitCode);
        Assert.Contains(message, psql.Stderr, StringComparison.Ordinal);
        Assert.Equal(message, ex.Message);
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
    }

    [Theory]
    [InlineData("PGSSLMODE", "bogus", "invalid sslmode value: \"bogus\"")]
    [InlineData("PGSSLMODE", "", "invalid sslmode value: \"\"")]
    [InlineData("PGPORT", "abc", "invalid integer value \"abc\" for connection option \"port\"")]
    [InlineData("PGCHANNELBINDING", "x", "invalid channel_binding value: \"x\"")]
    [InlineData("PGSSLMINPROTOCOLVERSION", "TLSv9", "invalid ssl_min_protocol_version value: \"TLSv9\"")]
    public void Both_reject_the_same_bad_environment_variable(string variable, string value, string message)
    {
        const string connectionString = "host=127.0.0.1";
        var psql = RunPsql(connectionString, (variable, value));
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse(connectionString, (variable, value)));

        Assert.Contains(message, psql.Stderr, StringComparison.Ordinal);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Both_let_the_connection_string_override_a_bad_environment_variable()
    {
        const string connectionString = "host=127.0.0.1 port=1 sslmode=disable";
        var psql = RunPsql(connectionString, ("PGSSLMODE", "bogus"));
        AssertPsqlGotToConnecting(psql);
        Assert.Equal("disable", _home.Parse(connectionString, ("PGSSLMODE", "bogus")).SslMode);
    }

    [Theory]
    [InlineData("host=127.0.0.1 port=1 requiressl=1")]
    [InlineData("host=127.0.0.1 port=1 sslmode=disable application_name='a b' options='-c search_path=x'")]
    [InlineData(@"host=127.0.0.1 port=1 sslmode=disable dbname='it\'s' user=a\ b")]
    [InlineData("host = 127.0.0.1 port= 1 sslmode =disable")]
    [InlineData("host=127.0.0.1 port=' 1 ' sslmode=disable")]
    [InlineData("host=127.0.0.1 port=+1 sslmode=disable")]
    [InlineData("host=127.0.0.1 port=1 connect_timeout=-5 sslmode=disable")]
    [InlineData("host=127.0.0.1 port=1 ssl_min_protocol_version='' ssl_max_protocol_version=TLSv1")]
    [InlineData("host=127.0.0.1 port=1 ssl_min_protocol_version=tlsv1.2 ssl_max_protocol_version=TLSV1.3")]
    [InlineData("host=127.0.0.1 port=1 sslsni=0 keepalives=1 keepalives_idle=5 target_session_attrs=any tcp_user_timeout=100")]
    [InlineData("hostaddr=127.0.0.1 port=1 sslmode=disable")]
    [InlineData("host=db.invalid hostaddr=127.0.0.1 port=1 sslmode=disable")]
    [InlineData("postgresql://127.0.0.1:1/db?ssl=true")]
    [InlineData("postgres://u:p%40ss@127.0.0.1:1/d%20b?application_name=x&sslmode=disable")]
    [InlineData("postgresql://127.0.0.1:1/db?ssl%6dode=disable&")]
    [InlineData("postgresql://127.0.0.1:1?requiressl=1")]
    public void Both_accept(string connectionString)
    {
        var psql = RunPsql(connectionString);
        AssertPsqlGotToConnecting(psql);

        var spec = _home.Parse(connectionString);
        Assert.Equal(1, spec.Port);
    }

    [Fact]
    public void Psql_and_dbtls_read_requiressl_the_same_way()
    {
        // With a root file that does not exist, verification is not required: both must get to connecting.
        var psql = RunPsql("host=127.0.0.1 port=1 requiressl=1 sslrootcert=/nonexistent.crt");
        AssertPsqlGotToConnecting(psql);
        Assert.Equal("require", _home.Parse("host=127.0.0.1 port=1 requiressl=1 sslrootcert=/nonexistent.crt").SslMode);
    }

    private static void AssertPsqlGotToConnecting((int ExitCode, string Stderr) psql)
    {
        Assert.Equal(2, psql.ExitCode);
        Assert.Contains("connection to server at", psql.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid", psql.Stderr, StringComparison.Ordinal);
    }

    private (int ExitCode, string Stderr) RunPsql(string connectionString, params (string Name, string Value)[] variables)
    {
        Assert.True(File.Exists(Psql), $"{Psql} (libpq 15) is needed for the differential tests");
        var start = new ProcessStartInfo(Psql)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["HOME"] = _home.Root;
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in new[] { "-X", "-w", "-d", connectionString, "-c", "select 1" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"psql did not finish for: {connectionString}");
        }

        _ = stdout.GetAwaiter().GetResult();
        return (process.ExitCode, stderr.GetAwaiter().GetResult());
    }
}
