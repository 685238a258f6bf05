using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Postgres;

namespace DbTls.Tests.EndToEnd.Postgres;

/// <summary>
/// The whole path a user takes — command line, libpq dialect, wire, TLS, renderers — against a real
/// PostgreSQL 18, run in process through <see cref="DbTls.Cli.Cli.RunAsync(IReadOnlyList{string}, TextWriter, TextWriter, IReadOnlyDictionary{string, string}, CancellationToken)"/>.
/// </summary>
[Trait("Category", "Integration")]
[Collection(Postgres18Collection.Name)]
public sealed class CliEndToEndTests(Postgres18Fixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("dbtls-cli-e2e-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private async Task<(int Exit, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string>? extraEnvironment, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = _home, ["PATH"] = "/usr/bin:/bin" };
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await DbTls.Cli.Cli.RunAsync(args, stdout, stderr, environment);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string ConnInfo(string extra) =>
        $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Scram} dbname=postgres {extra}";

    [Fact]
    public async Task Verify_full_json_report_has_the_documented_fields_and_exit_0()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var (exit, stdout, stderr) = await RunAsync(
            new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.ScramPassword },
            "check", ConnInfo($"sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}"), "--format", "json");
        Assert.True(exit == ExitCodes.Ok, stdout + stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("ok", root.GetProperty("verdict").GetString());
        Assert.Equal("verified", root.GetProperty("protection").GetString());
        Assert.Equal("sslrequest", root.GetProperty("negotiation").GetProperty("method").GetString());
        var tls = root.GetProperty("tls");
        Assert.StartsWith("TLSv1.", tls.GetProperty("protocol").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("TLS_", tls.GetProperty("cipherSuite").GetString(), StringComparison.Ordinal);
        Assert.Equal("postgresql", tls.GetProperty("alpn").GetString());
        var leaf = tls.GetProperty("certificates")[0];
        Assert.Equal(fixture.Certificates.Good.Leaf.Certificate.Subject, leaf.GetProperty("subject").GetString());
        Assert.Equal(64, leaf.GetProperty("sha256").GetString()!.Length);
        Assert.True(root.GetProperty("server").GetProperty("ssl").GetBoolean());
        Assert.DoesNotContain(PostgresUsers.ScramPassword, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sslmode=require", "encrypted", "protection: encrypted, server not verified")]
    [InlineData("sslmode=verify-ca sslrootcert={root}", "encrypted", "protection: encrypted, host name not verified")]
    [InlineData("sslmode=verify-full sslrootcert={root}", "verified", "protection: verified: encrypted, server certificate and host name checked")]
    public async Task The_verdict_says_how_protected_the_connection_is(string settings, string protection, string line)
    {
        // sslmode=require and verify-ca meet their policy (exit 0) but leave the server unverified or its name
        // unchecked: the first screen must say so, not only a green OK.
        await fixture.Server.RestoreDefaultsAsync();
        var conninfo = ConnInfo(settings.Replace("{root}", fixture.Certificates.RootPath, StringComparison.Ordinal));
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.ScramPassword };
        var (exit, stdout, stderr) = await RunAsync(environment, "check", conninfo, "--format", "json");
        Assert.True(exit == ExitCodes.Ok, stdout + stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(protection, json.RootElement.GetProperty("protection").GetString());
        }

        var (textExit, text, _) = await RunAsync(environment, "check", conninfo);
        Assert.Equal(ExitCodes.Ok, textExit);
        Assert.Contains(line, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plaintext_connection_is_ok_for_sslmode_disable_but_its_protection_is_none()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var (exit, stdout, stderr) = await RunAsync(
            new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.PlainPassword },
            "check", $"host=localhost port={fixture.Server.Port} user={PostgresUsers.Plain} dbname=postgres sslmode=disable", "--format", "json");
        Assert.True(exit == ExitCodes.Ok, stdout + stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("negotiation").GetProperty("encrypted").GetBoolean());
        Assert.Equal("none", json.RootElement.GetProperty("protection").GetString());
    }

    [Fact]
    public async Task Wrong_root_is_rejected_with_exit_1_and_a_remedy_in_text()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var (exit, stdout, stderr) = await RunAsync(
            new Dictionary<string, string> { ["DBTLS_PASSWORD"] = PostgresUsers.ScramPassword },
            "check", ConnInfo($"sslmode=verify-full sslrootcert={fixture.Certificates.WrongRootPath}"));
        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Contains(FindingCodes.CertUntrusted, stdout, StringComparison.Ordinal);
        Assert.Contains("Fix:", stdout, StringComparison.Ordinal);
        Assert.Contains(fixture.Certificates.Good.Leaf.Certificate.Subject, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresUsers.ScramPassword, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task System_trust_store_rejects_a_private_ca_and_weaker_modes_are_refused()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var (exit, stdout, _) = await RunAsync(null, "check", ConnInfo("sslrootcert=system"), "--format", "json");
        Assert.Equal(ExitCodes.Rejected, exit);
        using (var json = JsonDocument.Parse(stdout))
        {
            var codes = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
            Assert.Contains(FindingCodes.CertUntrusted, codes);
        }

        var (weakExit, weakOut, _) = await RunAsync(null, "check", ConnInfo("sslrootcert=system sslmode=require"), "--format", "json");
        Assert.Equal(ExitCodes.InvalidInput, weakExit);
        Assert.Contains("weak sslmode", weakOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_password_it_stops_after_the_handshake_and_says_so()
    {
        await fixture.Server.RestoreDefaultsAsync();
        var (exit, stdout, _) = await RunAsync(null, "check", ConnInfo($"sslmode=verify-full sslrootcert={fixture.Certificates.RootPath}"), "--format", "json");
        Assert.Equal(ExitCodes.Ok, exit);
        using var json = JsonDocument.Parse(stdout);
        var codes = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Contains(FindingCodes.AuthSkipped, codes);
        Assert.False(json.RootElement.TryGetProperty("server", out var server) && server.TryGetProperty("ssl", out _));
    }

    [Fact]
    public async Task Closed_port_is_a_network_failure_with_exit_3()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var (exit, stdout, _) = await RunAsync(null, "check", $"host=127.0.0.1 port={port} user=x sslmode=require", "--format", "json");
        Assert.Equal(ExitCodes.Network, exit);
        Assert.Contains(FindingCodes.NetUnreachable, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_expiring_within_30_days_connects_with_a_warning()
    {
        var certs = fixture.Certificates;
        using var leaf = CertFactory.CreateLeaf(certs.IntermediateCa, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], NotAfter = DateTimeOffset.UtcNow.AddDays(10) });
        var material = new ServerTlsMaterial(leaf.CertificatePem + certs.IntermediateCa.CertificatePem, leaf.PrivateKeyPem) { CaPem = certs.Good.Material.CaPem };
        await fixture.Server.ReloadWithCertificatesAsync(material);
        try
        {
            var (exit, stdout, _) = await RunAsync(
                new Dictionary<string, string> { ["PGPASSWORD"] = PostgresUsers.ScramPassword },
                "check", ConnInfo($"sslmode=verify-full sslrootcert={certs.RootPath}"), "--format", "json");
            Assert.Equal(ExitCodes.Ok, exit);
            using var json = JsonDocument.Parse(stdout);
            var expiring = json.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == FindingCodes.CertExpiringSoon);
            Assert.Equal("warning", expiring.GetProperty("severity").GetString());
        }
        finally
        {
            await fixture.Server.RestoreDefaultsAsync();
        }
    }
}
