using System.Text;
using DbTls.Checks;
using DbTls.Dialects.Mongo;
using DbTls.Reports;
using DbTls.Tests.Servers.Mongo;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.Checks.Mongo;

/// <summary>Runs <see cref="MongoCheck"/> against the MongoDB test server and inspects what it reports.</summary>
internal static class MongoCheckHarness
{
    public const string Password = "Alice-Pw-93!";
    public const string LegacyPassword = "Legacy-Pw-58";

    public static readonly MongoTestUser Alice = new("alice", "admin", Password, ScramMechanism.Sha1, ScramMechanism.Sha256);
    public static readonly MongoTestUser Legacy = new("legacy", "admin", LegacyPassword, ScramMechanism.Sha1);

    public static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>A URI for localhost:<paramref name="port"/> with alice's credentials (unless told otherwise) and the given options.</summary>
    public static string UriFor(int port, string options, string? userInfo = "alice:" + Password + "@", string host = "localhost") =>
        $"mongodb://{userInfo}{host}:{port}/?{options}";

    public static string TlsOptions(MongoCheckCertificates certs, string extra = "") =>
        $"tls=true&tlsCAFile={Escape(certs.CaFile)}{extra}";

    public static async Task<CheckReport> CheckAsync(string uri, MongoClientOptions? options = null, TimeSpan? timeout = null, IMongoDnsResolver? dns = null)
    {
        var spec = MongoConnectionString.Parse(uri, options);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await MongoCheck.RunAsync(spec, new MongoCheckOptions { Timeout = timeout ?? TimeSpan.FromSeconds(15), Dns = dns }, guard.Token);
    }

    /// <summary>The finding that decided a failed verdict: the last error.</summary>
    public static FindingReport Failure(CheckReport report) => report.Findings.Last(f => f.Severity == "error");

    public static IEnumerable<string> Codes(CheckReport report) => report.Findings.Select(f => f.Code);

    /// <summary>No secret in any field of the report, as JSON and as the text of every finding.</summary>
    public static void AssertNoSecret(CheckReport report, params string[] secrets)
    {
        var json = ReportJson.Serialize(report);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The proof that nothing MongoDB left the client in clear: every byte on the TCP connection forms TLS
    /// records (content types 20-23, version 3.x), and none of the command names or the user name appear.
    /// </summary>
    public static void AssertOnlyTlsOnTheWire(MongoTestConnectionRecord record)
    {
        var raw = record.RawReceived;
        Assert.NotEmpty(raw);
        var offset = 0;
        while (offset < raw.Length)
        {
            Assert.True(raw.Length - offset >= 5, $"a partial TLS record header at byte {offset}");
            Assert.InRange(raw[offset], (byte)20, (byte)23);
            Assert.Equal(3, raw[offset + 1]);
            var length = (raw[offset + 3] << 8) | raw[offset + 4];
            offset += 5 + length;
        }

        Assert.Equal(raw.Length, offset);
        var text = Encoding.Latin1.GetString(raw);
        foreach (var clear in new[] { "isMaster", "hello", "saslStart", "saslContinue", "speculativeAuthenticate", "alice", "n,,n=" })
        {
            Assert.DoesNotContain(clear, text, StringComparison.Ordinal);
        }
    }
}
