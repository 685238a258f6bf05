using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.Libpq;

public sealed class EnvironmentTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    // Each variable's field, by variable name: the spec type is internal, so a public theory cannot take the reader itself.
    private static readonly Dictionary<string, Func<PostgresConnectionSpec, object?>> Readers = new()
    {
        ["PGHOST"] = s => s.Host,
        ["PGPORT"] = s => s.Port,
        ["PGDATABASE"] = s => s.Database,
        ["PGUSER"] = s => s.User,
        ["PGSSLMODE"] = s => s.SslMode,
        ["PGCONNECT_TIMEOUT"] = s => s.ConnectTimeout,
        ["PGAPPNAME"] = s => s.ApplicationName,
        ["PGCHANNELBINDING"] = s => s.ChannelBinding,
        ["PGSSLSNI"] = s => s.Tls.SendSni,
        ["PGSSLMINPROTOCOLVERSION"] = s => s.Tls.MinProtocol,
        ["PGSSLMAXPROTOCOLVERSION"] = s => s.Tls.MaxProtocol,
        ["PGSSLCERTMODE"] = s => s.Tls.ClientCertificateMode,
        ["PGGSSENCMODE"] = s => s.SslMode,
    };

    public static TheoryData<string, string, object?> Variables => new()
    {
        { "PGHOST", "envhost", "envhost" },
        { "PGPORT", "6543", 6543 },
        { "PGDATABASE", "envdb", "envdb" },
        { "PGUSER", "envuser", "envuser" },
        { "PGSSLMODE", "require", "require" },
        { "PGCONNECT_TIMEOUT", "7", TimeSpan.FromSeconds(7) },
        { "PGAPPNAME", "envapp", "envapp" },
        { "PGCHANNELBINDING", "disable", ChannelBindingMode.Disable },
        { "PGSSLSNI", "0", false },
        { "PGSSLMINPROTOCOLVERSION", "TLSv1.3", TlsProtocolVersion.Tls13 },
        { "PGSSLMAXPROTOCOLVERSION", "TLSv1.2", TlsProtocolVersion.Tls12 },
        { "PGSSLCERTMODE", "disable", ClientCertificateMode.Disabled },
        { "PGGSSENCMODE", "disable", "prefer" },
    };

    [Theory]
    [MemberData(nameof(Variables))]
    public void Each_pg_variable_supplies_its_keyword_and_is_recorded(string variable, string value, object? expected)
    {
        var read = Readers[variable];
        var connectionString = variable == "PGHOST" ? "" : "host=h";
        var spec = _home.Parse(connectionString, (variable, value));
        Assert.Equal(expected, read(spec));
        Assert.Contains($"{variable}={value}", spec.Sources);
    }

    [Fact]
    public void Hostaddr_comes_from_pghostaddr()
    {
        var spec = _home.Parse("", ("PGHOSTADDR", "127.0.0.1"));
        Assert.Null(spec.Host);
        Assert.Equal("127.0.0.1", spec.HostAddress);
        Assert.Contains("PGHOSTADDR=127.0.0.1", spec.Sources);
    }

    [Fact]
    public void Pgpassword_is_used_and_recorded_masked()
    {
        var spec = _home.Parse("host=h", ("PGPASSWORD", "from-env"));
        Assert.Equal("from-env", spec.Password!.Reveal());
        Assert.Contains("PGPASSWORD=********", spec.Sources);
        Assert.DoesNotContain(spec.Sources, s => s.Contains("from-env", StringComparison.Ordinal));
    }

    [Fact]
    public void Ssl_file_variables_are_used()
    {
        var root = _home.WriteRootCert("ca/root.pem");
        var crl = _home.Write("ca/root.crl.pem", TempHome.CrlPem);
        var crlDir = Directory.CreateDirectory(Path.Combine(_home.Root, "crls")).FullName;
        var spec = _home.Parse("host=h sslmode=verify-full",
            ("PGSSLROOTCERT", root), ("PGSSLCRL", crl), ("PGSSLCRLDIR", crlDir), ("PGSSLNEGOTIATION", "direct"));

        Assert.Equal(new TrustSource.PemFile(root), spec.Tls.Trust);
        Assert.Equal(new[] { crl }, spec.Tls.Revocation.CrlFiles.ToArray());
        Assert.Equal(new[] { crlDir }, spec.Tls.Revocation.CrlDirectories.ToArray());
        Assert.Equal(PostgresNegotiation.Direct, spec.Negotiation);
        Assert.Equal(EncryptionMode.TlsFirst, spec.Tls.Encryption);
        Assert.Contains($"PGSSLROOTCERT={root}", spec.Sources);
        Assert.Contains("PGSSLNEGOTIATION=direct", spec.Sources);
    }

    [Fact]
    public void Client_certificate_variables_are_used()
    {
        var cert = _home.Write("c/client.crt", TempHome.RootPem);
        var key = _home.Write("c/client.key", "key");
        var spec = _home.Parse("host=h sslmode=require", ("PGSSLCERT", cert), ("PGSSLKEY", key));
        Assert.Equal(new ClientCertificateSource(cert, key, null), spec.Tls.ClientCertificate);
    }

    [Fact]
    public void The_connection_string_wins_over_the_environment()
    {
        var spec = _home.Parse("host=a port=1234 sslmode=require user=u dbname=d",
            ("PGHOST", "b"), ("PGPORT", "9999"), ("PGSSLMODE", "disable"), ("PGUSER", "x"), ("PGDATABASE", "y"));

        Assert.Equal(("a", 1234, "require", "u", "d"), (spec.Host, spec.Port, spec.SslMode, spec.User, spec.Database));
        Assert.Empty(spec.Sources);
    }

    [Fact]
    public void An_empty_value_in_the_string_still_blocks_the_variable()
    {
        // libpq takes the variable only for keywords with no value at all; '' is a value.
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h sslmode=''", ("PGSSLMODE", "require")));
        Assert.Equal("invalid sslmode value: \"\"", ex.Message);
    }

    [Fact]
    public void An_empty_variable_is_still_a_value()
    {
        var ex = Assert.Throws<DbTlsException>(() => _home.Parse("host=h", ("PGSSLMODE", "")));
        Assert.Equal("invalid sslmode value: \"\"", ex.Message);
    }

    [Theory]
    [InlineData("1", null, "require")]
    [InlineData("1", "disable", "disable")]
    [InlineData("0", null, "prefer")]
    public void Pgrequiressl_applies_below_pgsslmode(string requireSsl, string? sslMode, string expected)
    {
        var variables = new List<(string, string)> { ("PGREQUIRESSL", requireSsl) };
        if (sslMode is not null)
        {
            variables.Add(("PGSSLMODE", sslMode));
        }

        var spec = _home.Parse("host=h", [.. variables]);
        Assert.Equal(expected, spec.SslMode);
        Assert.Equal(requireSsl == "1" && sslMode is null, spec.Findings.Any(f => f.Message.Contains("PGREQUIRESSL", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dbname_defaults_to_the_user_and_user_to_the_os_user()
    {
        var spec = _home.Parse("host=h");
        Assert.Equal("osuser", spec.User);
        Assert.Equal("osuser", spec.Database);
        Assert.Equal("prefer", spec.SslMode);
        Assert.Equal(5432, spec.Port);
        Assert.Equal("dbtls", spec.ApplicationName);
        Assert.Null(spec.ConnectTimeout);
    }

    [Fact]
    public void Without_any_user_name_the_error_says_so()
    {
        var env = _home.Env() with { OsUserName = null };
        var ex = Assert.Throws<DbTlsException>(() => LibpqConnectionString.Parse("host=h", env));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
    }

    [Fact]
    public void Gssencmode_require_is_noted_and_tls_is_still_checked()
    {
        var spec = _home.Parse("host=h sslmode=require", ("PGGSSENCMODE", "require"));
        Assert.Equal(EncryptionMode.Required, spec.Tls.Encryption);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("gssencmode=require", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gssencmode=disable")]
    [InlineData("gssencmode=prefer")]
    public void Gssencmode_disable_and_prefer_need_no_note(string setting)
    {
        var spec = _home.Parse("host=h sslmode=require " + setting);
        Assert.DoesNotContain(spec.Findings, f => f.Message.Contains("gssencmode", StringComparison.Ordinal));
    }
}
