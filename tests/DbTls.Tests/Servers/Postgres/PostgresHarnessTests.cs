using DbTls.Tests.Infrastructure;
using Xunit.Abstractions;

namespace DbTls.Tests.Servers.Postgres;

/// <summary>
/// Proves the harness against the reference client (Debian's psql, libpq 15): the server really
/// runs TLS, every pg_hba.conf rule admits and refuses whom it should, and certificate/setting
/// swaps take effect on reload.
/// </summary>
public abstract class PostgresHarnessTests
{
    private const string SslOfOwnBackend = "select ssl from pg_stat_ssl where pid = pg_backend_pid()";

    private readonly PostgresFixture _fixture;
    private readonly ITestOutputHelper _output;

    protected PostgresHarnessTests(PostgresFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private PostgresServer Server => _fixture.Server;

    private PgCertificateFixtures Certs => _fixture.Certificates;

    private string VerifyFull => $"sslmode=verify-full sslrootcert={Certs.RootPath}";

    [Fact]
    public async Task Server_runs_the_expected_version_with_tls_on()
    {
        await Server.RestoreDefaultsAsync();
        Assert.StartsWith(((int)_fixture.Version).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".", Server.ServerVersion, StringComparison.Ordinal);
        Assert.Equal("on", await Server.QueryScalarAsync("show ssl"));
        Assert.Equal("scram-sha-256", await Server.QueryScalarAsync("show password_encryption"));
        var listen = await Server.QueryScalarAsync("show listen_addresses");
        Assert.Contains("127.0.0.1", listen, StringComparison.Ordinal);
        if (Server.ListensOnIPv6)
        {
            Assert.Contains("::1", listen, StringComparison.Ordinal);
        }

        _output.WriteLine($"PostgreSQL {Server.ServerVersion} on port {Server.Port}, started in {Server.StartupTime.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Psql_verify_full_connects_over_tls_on_ipv4_and_ipv6()
    {
        await Server.RestoreDefaultsAsync();
        List<string> hosts = ["host=localhost", "host=127.0.0.1"];
        if (Server.ListensOnIPv6)
        {
            hosts.Add("host=::1");
        }

        foreach (var host in hosts)
        {
            var conninfo = $"{host} port={Server.Port} user={PostgresUsers.Scram} password={PostgresUsers.ScramPassword} dbname=postgres {VerifyFull}";
            var result = await PsqlRunner.RunAsync(conninfo, SslOfOwnBackend);
            Assert.True(result.Succeeded, $"{host}: {result}");
            Assert.Equal("t", result.Stdout.Trim());
        }
    }

    [Theory]
    [InlineData(PostgresUsers.Scram, PostgresUsers.ScramPassword)]
    [InlineData(PostgresUsers.Md5, PostgresUsers.Md5Password)]
    [InlineData(PostgresUsers.Password, PostgresUsers.PasswordPassword)]
    [InlineData(PostgresUsers.Any, PostgresUsers.AnyPassword)]
    public async Task Password_users_log_in_over_tls(string user, string password)
    {
        await Server.RestoreDefaultsAsync();
        var result = await PsqlRunner.RunAsync(Server.ConnInfo(user, password, VerifyFull), SslOfOwnBackend);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("t", result.Stdout.Trim());

        var wrong = await PsqlRunner.RunAsync(Server.ConnInfo(user, "not-the-password", VerifyFull));
        Assert.False(wrong.Succeeded);
        Assert.Contains("authentication failed", wrong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_password_user_gets_the_authentication_method_of_its_rule()
    {
        await Server.RestoreDefaultsAsync();

        // The stored verifier decides what md5 really does: an MD5 hash keeps it MD5.
        Assert.Equal("md5", await Server.QueryScalarAsync($"select left(rolpassword, 3) from pg_authid where rolname = '{PostgresUsers.Md5}'"));
        Assert.Equal("SCRAM-SHA-256", await Server.QueryScalarAsync($"select left(rolpassword, 13) from pg_authid where rolname = '{PostgresUsers.Scram}'"));

        // pg_hba_file_rules shows the method each role's TLS rule uses.
        var rules = await Server.QueryScalarAsync("select string_agg(distinct type || ' ' || array_to_string(user_name, ',') || ' ' || auth_method, '; ' order by type || ' ' || array_to_string(user_name, ',') || ' ' || auth_method) from pg_hba_file_rules where error is null");
        _output.WriteLine(rules);
        Assert.Contains($"hostssl {PostgresUsers.Md5} md5", rules, StringComparison.Ordinal);
        Assert.Contains($"hostssl {PostgresUsers.Password} password", rules, StringComparison.Ordinal);
        Assert.Contains($"hostssl {PostgresUsers.Cert} cert", rules, StringComparison.Ordinal);
        Assert.Contains($"hostnossl {PostgresUsers.Plain} scram-sha-256", rules, StringComparison.Ordinal);
        Assert.Contains($"hostssl {PostgresUsers.Plain} reject", rules, StringComparison.Ordinal);
        Assert.Equal("0", await Server.QueryScalarAsync("select count(*) from pg_hba_file_rules where error is not null"));
    }

    [Fact]
    public async Task Tls_only_users_are_refused_without_tls()
    {
        await Server.RestoreDefaultsAsync();
        var result = await PsqlRunner.RunAsync(Server.ConnInfo(PostgresUsers.Scram, PostgresUsers.ScramPassword, "sslmode=disable"));
        Assert.False(result.Succeeded);
        Assert.Contains("no pg_hba.conf entry", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("no encryption", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cert_user_needs_the_client_certificate()
    {
        await Server.RestoreDefaultsAsync();
        var withCertificate = await PsqlRunner.RunAsync(
            Server.ConnInfo(PostgresUsers.Cert, extra: $"{VerifyFull} sslcert={Certs.ClientCertificatePath} sslkey={Certs.ClientKeyPath}"),
            "select ssl, client_dn from pg_stat_ssl where pid = pg_backend_pid()");
        Assert.True(withCertificate.Succeeded, withCertificate.ToString());
        Assert.StartsWith("t|", withCertificate.Stdout.Trim(), StringComparison.Ordinal);
        Assert.Contains("CN=dbtls_cert", withCertificate.Stdout, StringComparison.Ordinal);

        var without = await PsqlRunner.RunAsync(Server.ConnInfo(PostgresUsers.Cert, extra: VerifyFull));
        Assert.False(without.Succeeded);
        Assert.Contains("certificate", without.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_user_gets_in_only_without_tls()
    {
        await Server.RestoreDefaultsAsync();
        var overTls = await PsqlRunner.RunAsync(Server.ConnInfo(PostgresUsers.Plain, PostgresUsers.PlainPassword, "sslmode=require"));
        Assert.False(overTls.Succeeded);
        Assert.Contains("rejects connection", overTls.Stderr, StringComparison.Ordinal);

        var plain = await PsqlRunner.RunAsync(Server.ConnInfo(PostgresUsers.Plain, PostgresUsers.PlainPassword, "sslmode=disable"), SslOfOwnBackend);
        Assert.True(plain.Succeeded, plain.ToString());
        Assert.Equal("f", plain.Stdout.Trim());
    }

    [Fact]
    public async Task Any_user_gets_in_with_and_without_tls()
    {
        await Server.RestoreDefaultsAsync();
        var plain = await PsqlRunner.RunAsync(Server.ConnInfo(PostgresUsers.Any, PostgresUsers.AnyPassword, "sslmode=disable"), SslOfOwnBackend);
        Assert.True(plain.Succeeded, plain.ToString());
        Assert.Equal("f", plain.Stdout.Trim());
    }

    [Fact]
    public async Task Swapping_to_a_wrong_root_chain_takes_effect_on_reload()
    {
        var conninfo = Server.ConnInfo(PostgresUsers.Scram, PostgresUsers.ScramPassword, VerifyFull);
        try
        {
            await Server.ReloadWithCertificatesAsync(Certs.WrongRoot.Material);
            var refused = await PsqlRunner.RunAsync(conninfo);
            Assert.False(refused.Succeeded);
            Assert.Contains("certificate verify failed", refused.Stderr, StringComparison.Ordinal);

            // The same chain passes for a client that trusts the other root.
            var trusting = await PsqlRunner.RunAsync(Server.ConnInfo(PostgresUsers.Scram, PostgresUsers.ScramPassword, $"sslmode=verify-full sslrootcert={Certs.WrongRootPath}"));
            Assert.True(trusting.Succeeded, trusting.ToString());
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }

        var back = await PsqlRunner.RunAsync(conninfo);
        Assert.True(back.Succeeded, back.ToString());
    }

    [Fact]
    public async Task Tls_can_be_switched_off_and_bounded_by_reload()
    {
        var conninfo = Server.ConnInfo(PostgresUsers.Any, PostgresUsers.AnyPassword, "sslmode=require");
        try
        {
            await Server.ReloadAsync(new PostgresTlsSettings { Ssl = false });
            var noTls = await PsqlRunner.RunAsync(conninfo);
            Assert.False(noTls.Succeeded);
            Assert.Contains("server does not support SSL", noTls.Stderr, StringComparison.Ordinal);

            await Server.ReloadAsync(new PostgresTlsSettings { MinProtocolVersion = "TLSv1.3" });
            var capped = await PsqlRunner.RunAsync(conninfo + " ssl_max_protocol_version=TLSv1.2");
            Assert.False(capped.Succeeded);
            var tls13 = await PsqlRunner.RunAsync(conninfo, "select version from pg_stat_ssl where pid = pg_backend_pid()");
            Assert.True(tls13.Succeeded, tls13.ToString());
            Assert.Equal("TLSv1.3", tls13.Stdout.Trim());

            await Server.ReloadAsync(new PostgresTlsSettings { MaxProtocolVersion = "TLSv1.2" });
            var tls12 = await PsqlRunner.RunAsync(conninfo, "select version from pg_stat_ssl where pid = pg_backend_pid()");
            Assert.True(tls12.Succeeded, tls12.ToString());
            Assert.Equal("TLSv1.2", tls12.Stdout.Trim());
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }
    }

    [Fact]
    public async Task Every_certificate_fixture_loads_and_serves_its_chain()
    {
        try
        {
            foreach (var fixture in Certs.All)
            {
                await Server.ReloadWithCertificatesAsync(fixture.Material);

                // sslmode=require does no verification, so each fixture must connect; the server
                // must present exactly this leaf.
                var result = await PsqlRunner.RunAsync(
                    Server.ConnInfo(PostgresUsers.Scram, PostgresUsers.ScramPassword, "sslmode=require"),
                    "select ssl from pg_stat_ssl where pid = pg_backend_pid()");
                Assert.True(result.Succeeded, $"{fixture.Name}: {result}");
                Assert.Equal("t", result.Stdout.Trim());
                var served = await OpenSsl.FetchServerChainAsync(Server.Port);
                Assert.Equal(fixture.Leaf.Certificate.Thumbprint, served[0].Thumbprint);
                Assert.Equal(fixture == Certs.MissingIntermediate ? 1 : 2, served.Count);
                foreach (var certificate in served)
                {
                    certificate.Dispose();
                }
            }
        }
        finally
        {
            await Server.RestoreDefaultsAsync();
        }
    }
}

[Trait("Category", "Integration")]
[Collection(Postgres15Collection.Name)]
public sealed class Postgres15HarnessTests(Postgres15Fixture fixture, ITestOutputHelper output) : PostgresHarnessTests(fixture, output)
{
    [Fact]
    public async Task Pg15_refuses_direct_tls()
    {
        var result = await OpenSsl.DirectTlsHandshakeAsync(fixture.Server.Port, fixture.Certificates.RootPath);
        Assert.False(result.Succeeded && result.Stdout.Contains("ALPN protocol: postgresql", StringComparison.Ordinal), result.ToString());
    }
}

[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class Postgres18HarnessTests(Postgres18Fixture fixture, ITestOutputHelper output) : PostgresHarnessTests(fixture, output)
{
    [Fact]
    public async Task Pg18_accepts_direct_tls_with_alpn_postgresql()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var result = await OpenSsl.DirectTlsHandshakeAsync(fixture.Server.Port, fixture.Certificates.RootPath);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("ALPN protocol: postgresql", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Verification: OK", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
