using System.Globalization;
using System.Text.Json;
using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>
/// Runs every case of the MongoDB connection-string and URI-options specification test files (from the
/// checkout named by DBTLS_MONGO_SPEC_DIR; Dialects/Mongo/Spec/README.md) through <see cref="MongoConnectionString.Parse"/>, as the official
/// drivers run them:
/// <list type="bullet">
/// <item><c>valid: false</c>: Parse refuses with config.invalid.</item>
/// <item><c>warning</c>: a config.warning finding is present exactly when the case says so.</item>
/// <item><c>hosts</c>: type, host and port (null = not written, so the default) of every seed, in order.</item>
/// <item><c>auth</c>: user name and password; <c>db</c> is compared with the database dbtls derives from the
/// path, which like PyMongo stops at the first '.' (the rest names a collection, which dbtls does not keep).</item>
/// <item><c>options</c>: every option the case lists. The options dbtls acts on (TLS, auth, topology, timeouts,
/// SRV) are compared with the typed fields the check uses; the others (read/write concern, pools, compression,
/// read preference, ...) only with the validated value dbtls keeps in <see cref="MongoConnectionSpec.Options"/>,
/// because dbtls reads them nowhere else. Secret values (tlsCertificateKeyFilePassword, proxyPassword) are
/// masked there by design, so for those only their presence is asserted, and the password through its typed field.</item>
/// </list>
/// No case is skipped. Where PyMongo, whose reading of the URI dbtls reproduces, answers differently from the
/// specification's file, the case is listed in <see cref="PyMongoReadings"/> and PyMongo's answer is asserted instead.
/// </summary>
public class MongoSpecUriTests
{
    public static TheoryData<string, string> ConnectionStringCases() => MongoSpecCases.UriCases("connection-string");

    public static TheoryData<string, string> UriOptionsCases() => MongoSpecCases.UriCases("uri-options");

    [MongoSpecTheory]
    [MemberData(nameof(ConnectionStringCases))]
    public void Connection_string_spec(string file, string description) => Run(MongoSpecCases.UriCase(file, description));

    [MongoSpecTheory]
    [MemberData(nameof(UriOptionsCases))]
    public void Uri_options_spec(string file, string description) => Run(MongoSpecCases.UriCase(file, description));

    [MongoSpecFact]
    public void The_spec_suites_are_all_there()
    {
        // A missing copy step or a lost file would otherwise shrink the theories without a failure.
        Assert.True(ConnectionStringCases().Count >= 95, "connection-string cases: " + ConnectionStringCases().Count);
        Assert.True(UriOptionsCases().Count >= 150, "uri-options cases: " + UriOptionsCases().Count);
    }

    /// <summary>
    /// Cases where PyMongo (pymongo/uri_parser_shared.py) departs from the specification's expectation, with the
    /// value PyMongo gives: it decodes userinfo with unquote_plus ('+' is a space), and it takes any host entity
    /// ending in ".sock" for a UNIX socket path, even one without a '/'.
    /// </summary>
    private static readonly Dictionary<string, Action<MongoConnectionSpec>> PyMongoReadings = new(StringComparer.Ordinal)
    {
        ["Subdelimiters in user/pass don't need escaping (PLAIN)"] = spec => Assert.Equal("!$&'()* ,;=", spec.Password?.Reveal()),
        ["Multiple hosts (relative path and hostname resembling relative path)"] = spec =>
            Assert.Equal(["unix mongodb-27017.sock default", "unix rel/mongodb-27018.sock default"], spec.Hosts.Select(ActualHost)),
        ["Multiple hosts (absolute path and hostname resembling relative path)"] = spec =>
            Assert.Equal(["unix mongodb-27017.sock default", "unix /tmp/mongodb-27018.sock default"], spec.Hosts.Select(ActualHost)),
    };

    [MongoSpecFact]
    public void Every_pymongo_reading_names_a_case_of_the_suite()
    {
        var descriptions = ConnectionStringCases().Concat(UriOptionsCases()).Select(row => (string)row[1]).ToHashSet(StringComparer.Ordinal);
        Assert.All(PyMongoReadings.Keys, d => Assert.Contains(d, descriptions));
    }

    private static void Run(JsonElement test)
    {
        var uri = test.GetProperty("uri").GetString()!;
        if (PyMongoReadings.TryGetValue(test.GetProperty("description").GetString()!, out var pymongo))
        {
            pymongo(MongoConnectionString.Parse(uri));
            return;
        }

        if (!test.GetProperty("valid").GetBoolean())
        {
            var ex = Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse(uri));
            Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
            return;
        }

        var spec = MongoConnectionString.Parse(uri);
        var warnings = spec.Findings.Where(f => f.Code == FindingCodes.ConfigWarning).Select(f => f.Message).ToList();
        Assert.True(test.GetProperty("warning").GetBoolean() == warnings.Count > 0,
            $"expected warning={test.GetProperty("warning").GetBoolean()}, got: [{string.Join(" | ", warnings)}]");

        if (test.Property("hosts") is { } hosts)
        {
            Assert.Equal(hosts.EnumerateArray().Select(ExpectedHost), spec.Hosts.Select(ActualHost));
        }

        if (test.Property("auth") is { } auth)
        {
            Assert.Equal(auth.Property("username")?.GetString(), spec.User);
            Assert.Equal(auth.Property("password")?.GetString(), spec.Password?.Reveal());
            var db = auth.Property("db")?.GetString();
            Assert.Equal(db is null ? null : db.Split('.')[0], spec.Database);
        }

        if (test.Property("options") is { } options)
        {
            foreach (var option in options.EnumerateObject())
            {
                MongoSpecCases.AssertOption(spec, option.Name.ToLowerInvariant(), option.Value);
            }
        }
    }

    private static string ExpectedHost(JsonElement h)
    {
        var port = h.Property("port") is { } p ? p.GetInt32().ToString(CultureInfo.InvariantCulture) : "default";
        return $"{h.GetProperty("type").GetString()} {h.GetProperty("host").GetString()} {port}";
    }

    private static string ActualHost(MongoHost h)
    {
        var type = h.Kind switch
        {
            MongoHostKind.HostName => "hostname",
            MongoHostKind.IPv4 => "ipv4",
            MongoHostKind.IPLiteral => "ip_literal",
            _ => "unix",
        };
        return $"{type} {h.Host} {(h.PortGiven ? h.Port.ToString(CultureInfo.InvariantCulture) : "default")}";
    }
}
