using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Reports;
using DbTls.Tests.EndToEnd.Mongo;
using DbTls.Tests.Oracles.PyMongo;
using DbTls.Tests.Servers.Mongo;
using DbTls.Wire.Mongo;
using Xunit.Abstractions;

namespace DbTls.Tests.EndToEnd.PyMongo;

/// <summary>
/// A URI plus PyMongo keyword arguments given to the real PyMongo 3.11 (probe.py) and to dbtls' pymongo dialect
/// (the CLI's --option pairs), against the MongoDB test server with each certificate case: PyMongo's verdict
/// (connected, refused the options, failed to connect) must equal dbtls' (ok, config.invalid, any other refusal).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PyMongoParityTests(MongoVerdictCertificates certs, ITestOutputHelper output) : IClassFixture<MongoVerdictCertificates>
{
    private static readonly MongoTestUser User = new("alice", "admin", "s3cret-PyMongo", ScramMechanism.Sha256);

    /// <summary>URI options (after the common part) and keyword arguments; ROOT and OTHER are CA files.</summary>
    public static TheoryData<string, string> Settings => new()
    {
        { "tls=true", "tlsCAFile=ROOT" },
        { "", "tlsCAFile=ROOT" },                                      // PyMongo 3.x: a TLS option alone turns TLS on
        { "tls=true&tlsCAFile=ROOT", "tlsInsecure=true" },
        { "tls=true&tlsCAFile=ROOT", "tlsAllowInvalidHostnames=true" },
        { "tls=true&tlsCAFile=OTHER", "tlsCAFile=ROOT" },              // the keyword wins over the URI
        { "tls=true&tlsCAFile=ROOT", "tlsCAFile=OTHER" },
        { "tls=true&tlsCAFile=ROOT&tlsInsecure=true", "tlsAllowInvalidCertificates=true" },
        { "tls=true&tlsCAFile=ROOT", "tlsInsecure=true tlsAllowInvalidHostnames=false" },
        { "tls=true&tlsCAFile=ROOT", "tls=false" },
        { "", "tls=false tlsCAFile=ROOT" },
        { "tls=true&tlsCAFile=ROOT", "ssl=false" },
        { "tls=true&tlsCAFile=ROOT", "ssl=true" },                     // ssl beside tls is fine when the values agree
        { "tls=true&tlsCAFile=ROOT", "TLSALLOWINVALIDCERTIFICATES=true" },
        { "tls=true&tlsCAFile=ROOT", "tlsAllowInvalidCertificates=yes" },
        { "tls=true&tlsCAFile=ROOT", "tlsFoo=true" },
        { "tls=false", "tls=true tlsCAFile=ROOT" },
    };

    public static TheoryData<ServerCertificateCase, string, string> Matrix()
    {
        var data = new TheoryData<ServerCertificateCase, string, string>();
        foreach (var certificate in new[] { ServerCertificateCase.Trusted, ServerCertificateCase.UntrustedRoot, ServerCertificateCase.WrongHost, ServerCertificateCase.Expired })
        {
            foreach (var row in Settings)
            {
                data.Add(certificate, (string)row[0], (string)row[1]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Dbtls_verdict_equals_pymongos(ServerCertificateCase certificate, string uriOptions, string keywords)
    {
        await using var server = MongoTestServer.Start(new MongoTestServerOptions { Certificate = certs.Server(certificate).Certificate, Users = [User] });
        var uri = $"mongodb://{User.Name}:{User.Password}@localhost:{server.Port}/?directConnection=true&serverSelectionTimeoutMS=4000&connectTimeoutMS=4000{(uriOptions.Length > 0 ? "&" : "")}{Files(uriOptions)}";
        var pairs = keywords.Split(' ').Select(k => k.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], Files(p[1]))).ToList();

        var pymongo = await PyMongoOracle.RunAsync(uri, pairs);
        var report = await DialectRegistry.Default.Find("pymongo")!.CheckAsync(
            uri,
            new CheckEnvironment(new Dictionary<string, string>()) { Options = pairs },
            new CheckOptions { Timeout = TimeSpan.FromSeconds(15) },
            CancellationToken.None);

        var dbtlsConfig = report.Findings.Any(f => f.Code == FindingCodes.ConfigInvalid);
        var dbtlsConnected = report.Verdict == Verdicts.Ok;
        var row = $"{certificate} uri:{uriOptions} kwargs:{keywords}: PyMongo {pymongo}; dbtls {report.Verdict} [{string.Join("; ", report.Findings.Where(f => f.Severity == "error").Select(f => $"{f.Code}: {f.Message}"))}]";
        output.WriteLine(row);
        Assert.True(pymongo.Connected == dbtlsConnected && pymongo.ConfigurationRefused == dbtlsConfig, row);
        Assert.Equal("pymongo", report.Target.Dialect);
        Assert.DoesNotContain(User.Password, ReportJson.Serialize(report), StringComparison.Ordinal);
    }

    private string Files(string text) =>
        text.Replace("ROOT", certs.RootPemPath, StringComparison.Ordinal).Replace("OTHER", OtherRootPath, StringComparison.Ordinal);

    private string OtherRootPath
    {
        get
        {
            var path = Path.Combine(certs.Directory, "other-root.pem");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, certs.OtherRoot.CertificatePem);
            }

            return path;
        }
    }
}
