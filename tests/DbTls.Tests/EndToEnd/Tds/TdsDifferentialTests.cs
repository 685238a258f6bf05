using System.Net;
using System.Text;
using DbTls.Diagnostics;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>
/// The differential verdict matrix for SQL Server: certificate fixtures x server encryption x client settings.
/// For every SqlClient connection string dbtls' verdict (connects or refuses; encrypted, login-only or not at all)
/// must equal real Microsoft.Data.SqlClient's on the same server; for every freetds.conf section it must equal real
/// tsql's (Debian freetds-bin 1.3.17, GnuTLS). Both drivers and dbtls run in one child process
/// (<see cref="TdsMatrixChild"/>) whose trust store is the fixtures' CA (SSL_CERT_FILE) and whose /etc/hosts maps
/// db.dbtls.test to 127.0.0.1. Where the drivers disagree with each other (revocation, validation without a CA
/// file), the test records both and dbtls follows the dialect it was given.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TdsDifferentialTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Host = "db.dbtls.test";

    private sealed record Fixture(string Name, IssuedCert Leaf, IssuedCert[] Chain, string Host);

    private sealed record Row(string Fixture, string Server, string Dialect, string Settings, string Line);

    private sealed record Outcome(Row Row, SqlClientVerdict Driver, string Verdict, string? Scope, string? Encrypt, string Code)
    {
        public override string ToString() =>
            $"[{Row.Fixture} | server {Row.Server} | {Row.Dialect}: {Row.Settings.ReplaceLineEndings("; ")}] driver {Driver} / dbtls {Verdict} scope={Scope} encrypt_option={Encrypt} {Code}";
    }

    [Fact]
    public async Task Dbtls_verdicts_equal_SqlClient_and_tsql_over_the_matrix()
    {
        using var ca = TdsTestCertificates.Create(Host, includeLoopbackIp: false);
        using var untrusted = TdsTestCertificates.Create(Host, includeLoopbackIp: false);
        using var stranger = TdsTestCertificates.Create(Host, includeLoopbackIp: false);
        using var wrongHost = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec { CommonName = "other.dbtls.test", DnsNames = ["other.dbtls.test"] });
        using var wildcard = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec { CommonName = "wildcard", DnsNames = ["*.dbtls.test"] });
        using var ipSan = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec { CommonName = "ip-only", IpAddresses = [IPAddress.Loopback] });
        using var expired = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec { CommonName = Host, DnsNames = [Host], NotBefore = DateTimeOffset.UtcNow.AddDays(-30), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) });
        using var revoked = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec { CommonName = Host, DnsNames = [Host] });
        var dir = ca.Directory;
        var crl = CertFactory.WritePem(Path.Combine(dir, "crl.pem"), ca.Intermediate.CreateCrlPem([revoked]) + ca.Root.CreateCrlPem([]));

        Fixture[] fixtures =
        [
            new("trusted chain with intermediate", ca.Leaf, [ca.Intermediate], Host),
            new("untrusted root", untrusted.Leaf, [untrusted.Intermediate], Host),
            new("wrong host", wrongHost, [ca.Intermediate], Host),
            new("wildcard", wildcard, [ca.Intermediate], Host),
            new("IP SAN", ipSan, [ca.Intermediate], "127.0.0.1"),
            new("expired", expired, [ca.Intermediate], Host),
            new("revoked (CRL)", revoked, [ca.Intermediate], Host),
        ];

        var strangerPin = stranger.LeafPemPath;
        var rows = new List<Row>();
        var servers = new List<TdsTestServer>();
        var conf = new StringBuilder("[global]\n    tds version = 7.4\n");
        try
        {
            foreach (var fixture in fixtures)
            {
                var pin = CertFactory.WritePem(Path.Combine(dir, $"pin-{servers.Count}.pem"), fixture.Leaf.CertificatePem);
                foreach (var mode in fixture == fixtures[0]
                    ? new[] { PreLoginEncryption.Off, PreLoginEncryption.Required, PreLoginEncryption.NotSupported }
                    : [PreLoginEncryption.Off, PreLoginEncryption.Required])
                {
                    var server = TdsTestServer.Start(new TdsTestServerOptions
                    {
                        Encryption = mode,
                        Certificate = mode == PreLoginEncryption.NotSupported ? null : fixture.Leaf.Certificate,
                        Intermediates = [.. fixture.Chain.Select(c => c.Certificate)],
                    });
                    servers.Add(server);
                    var serverName = ServerModeName(mode);
                    foreach (var settings in SqlClientSettings(pin, strangerPin))
                    {
                        var line = $"sqlclient\t{SqlClientVerdicts.ConnectionString(server, fixture.Host, settings)}";
                        rows.Add(new Row(fixture.Name, serverName, "SqlClient", settings, line));
                    }

                    foreach (var settings in FreeTdsSettings(ca.RootPemPath, crl))
                    {
                        var section = $"m{rows.Count}";
                        conf.Append('[').Append(section).Append("]\n")
                            .Append("    host = ").Append(fixture.Host).Append('\n')
                            .Append("    port = ").Append(server.Port).Append('\n')
                            .Append(string.Join('\n', settings.Split('\n').Select(l => "    " + l))).Append('\n');
                        rows.Add(new Row(fixture.Name, serverName, "freetds.conf", settings, $"freetds\t{Path.Combine(dir, "freetds.conf")}\t{section}\t{server.Options.User}\t{server.Options.Password}"));
                    }
                }
            }

            await File.WriteAllTextAsync(Path.Combine(dir, "freetds.conf"), conf.ToString());
            var lines = await SqlClientVerdicts.RunChildAsync(TdsMatrixChild.Command, ca.RootPemPath, [.. rows.Select(r => r.Line)], [Host]);
            var outcomes = rows.Select((row, i) => ToOutcome(row, lines[i])).ToList();
            outcomes.ForEach(o => output.WriteLine(o.ToString()));

            var disagreements = outcomes.Where(o => !Agree(o)).Select(o => o.ToString()).ToList();
            Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {outcomes.Count} rows disagree:\n{string.Join('\n', disagreements)}");

            AssertMeasured(outcomes);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static string ServerModeName(PreLoginEncryption mode) => mode switch
    {
        PreLoginEncryption.Off => "OFF",
        PreLoginEncryption.Required => "ON (forced)",
        _ => "NOT_SUP",
    };

    private static string[] SqlClientSettings(string pin, string strangerPin) =>
    [
        "Encrypt=Optional",
        "Encrypt=Optional;TrustServerCertificate=true",
        "Encrypt=Mandatory",
        "Encrypt=Mandatory;TrustServerCertificate=true",
        "Encrypt=Strict",
        "Encrypt=Strict;TrustServerCertificate=true",
        "Encrypt=Mandatory;HostNameInCertificate=other.dbtls.test",
        $"Encrypt=Mandatory;ServerCertificate={pin}",
        $"Encrypt=Mandatory;ServerCertificate={strangerPin}",
        $"Encrypt=Strict;ServerCertificate={pin}",
    ];

    private static string[] FreeTdsSettings(string caFile, string crlFile) =>
    [
        "encryption = off",
        "encryption = request",
        "encryption = require",
        $"encryption = request\nca file = {caFile}",
        $"encryption = require\nca file = {caFile}",
        $"encryption = require\nca file = {caFile}\ncheck certificate hostname = no",
        $"encryption = require\nca file = {caFile}\ncrl file = {crlFile}",
    ];

    private static Outcome ToOutcome(Row row, string line)
    {
        var fields = line.TrimEnd('\r').Split('\t');
        var dbtls = fields[^4..];
        var driver = SqlClientVerdicts.Parse(string.Join('\t', fields[..^4]));
        return new Outcome(row, driver, dbtls[0], NullIfEmpty(dbtls[1]), NullIfEmpty(dbtls[2]), dbtls[3]);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>Same verdict; when connected, the same encrypt_option, and a scope that says the same.</summary>
    private static bool Agree(Outcome o)
    {
        var dbtlsConnected = o.Verdict == "ok";
        if (o.Driver.Connected != dbtlsConnected)
        {
            return false;
        }

        return !dbtlsConnected
            || (o.Driver.EncryptOption == o.Encrypt && (o.Encrypt == "TRUE") == (o.Scope == "full"));
    }

    /// <summary>What the drivers measurably did on the rows that matter, so the matrix can never agree vacuously.</summary>
    private static void AssertMeasured(List<Outcome> outcomes)
    {
        Outcome Find(string fixture, string server, string settings) =>
            outcomes.Single(o => o.Row.Fixture.StartsWith(fixture, StringComparison.Ordinal) && o.Row.Server == server && o.Row.Settings == settings);

        Assert.Equal(("TRUE", "full"), Pair(Find("trusted", "OFF", "Encrypt=Mandatory")));
        Assert.Equal(("FALSE", "login-only"), Pair(Find("trusted", "OFF", "Encrypt=Optional")));
        Assert.Equal(("FALSE", "none"), Pair(Find("trusted", "NOT_SUP", "Encrypt=Optional")));
        Assert.Equal(FindingCodes.CertUntrusted, Find("untrusted", "OFF", "Encrypt=Mandatory").Code);
        Assert.Equal(FindingCodes.CertHostnameMismatch, Find("wrong host", "OFF", "Encrypt=Mandatory").Code);
        Assert.Equal(("TRUE", "full"), Pair(Find("wrong host", "OFF", "Encrypt=Mandatory;HostNameInCertificate=other.dbtls.test")));
        Assert.Equal(FindingCodes.CertExpired, Find("expired", "OFF", "Encrypt=Mandatory").Code);
        Assert.Equal(FindingCodes.CertUntrusted, Find("untrusted", "ON (forced)", "Encrypt=Optional").Code);

        // The drivers disagree: SqlClient has no revocation check, tsql with a CRL file refuses; dbtls follows each.
        var sqlClientRevoked = Find("revoked", "OFF", "Encrypt=Mandatory");
        var tsqlRevoked = outcomes.Single(o => o.Row.Fixture.StartsWith("revoked", StringComparison.Ordinal) && o.Row.Server == "OFF" && o.Row.Settings.Contains("crl file", StringComparison.Ordinal));
        Assert.True(sqlClientRevoked.Driver.Connected, sqlClientRevoked.ToString());
        Assert.False(tsqlRevoked.Driver.Connected, tsqlRevoked.ToString());
        Assert.Equal(FindingCodes.CertRevoked, tsqlRevoked.Code);

        // And: tsql without a CA file validates nothing, SqlClient Mandatory validates the chain.
        var tsqlUntrusted = outcomes.Single(o => o.Row.Fixture.StartsWith("untrusted", StringComparison.Ordinal) && o.Row.Server == "OFF" && o.Row.Settings == "encryption = require");
        Assert.True(tsqlUntrusted.Driver.Connected, tsqlUntrusted.ToString());

        // tsql with encryption = off sends NOT_SUP, hears the forcing server's REQ and goes on with TLS (the cTDS page
        // says it fails); the test server accepts that as forcing SQL Servers do, so both tsql and dbtls connect, encrypted.
        var offForced = Find("trusted", "ON (forced)", "encryption = off");
        Assert.True(offForced.Driver.Connected, offForced.ToString());
        Assert.Equal("ok", offForced.Verdict);
        Assert.Equal(("TRUE", "full"), Pair(offForced));

        // Pins: the pin alone decides for SqlClient, whatever the chain.
        var pinMismatch = outcomes.Single(o => o.Row.Fixture == "trusted chain with intermediate" && o.Row.Server == "OFF" && o.Row.Settings.StartsWith("Encrypt=Mandatory;ServerCertificate=", StringComparison.Ordinal) && !o.Driver.Connected);
        Assert.Equal(FindingCodes.CertPinMismatch, pinMismatch.Code);
        Assert.Contains(outcomes, o => o.Row.Fixture == "untrusted root" && o.Row.Settings.StartsWith("Encrypt=Mandatory;ServerCertificate=", StringComparison.Ordinal) && o.Verdict == "ok");

        Assert.InRange(outcomes.Count(o => o.Driver.Connected), 40, outcomes.Count - 40);
    }

    private static (string?, string?) Pair(Outcome o) => (o.Encrypt, o.Scope);
}
