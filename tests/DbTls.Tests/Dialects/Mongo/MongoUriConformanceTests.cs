using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>
/// Conformance with the MongoDB specifications' URI test suites (source/uri-options/tests/tls-options and
/// source/connection-string/tests): the cases are re-encoded here as data, grouped by the rule they check.
/// "valid" means Parse succeeds, "warning" means a config.warning finding.
/// </summary>
public class MongoUriConformanceTests
{
    public enum Outcome
    {
        Valid,
        Warning,
        Invalid,
    }

    private static readonly string[] ConflictPairs =
    [
        "tlsInsecure|tlsAllowInvalidCertificates",
        "tlsInsecure|tlsAllowInvalidHostnames",
        "tlsInsecure|tlsDisableOCSPEndpointCheck",
        "tlsInsecure|tlsDisableCertificateRevocationCheck",
        "tlsAllowInvalidCertificates|tlsDisableOCSPEndpointCheck",
        "tlsAllowInvalidCertificates|tlsDisableCertificateRevocationCheck",
        "tlsDisableOCSPEndpointCheck|tlsDisableCertificateRevocationCheck",
    ];

    /// <summary>Every conflicting pair, in both orders, with all four value combinations: the spec makes each an error.</summary>
    public static TheoryData<string> ConflictingTlsOptionUris()
    {
        var data = new TheoryData<string>();
        foreach (var pair in ConflictPairs)
        {
            var names = pair.Split('|');
            data.AddRange([.. PairUris("", names[0], names[1])]);
        }

        return data;
    }

    /// <summary>Both options in both orders with all four value combinations: eight URIs.</summary>
    private static IEnumerable<string> PairUris(string prefix, string first, string second) =>
        from order in new[] { (first, second), (second, first) }
        from a in new[] { "true", "false" }
        from b in new[] { "true", "false" }
        select $"mongodb://example.com/?{prefix}{order.Item1}={a}&{order.Item2}={b}";

    [Theory]
    [MemberData(nameof(ConflictingTlsOptionUris))]
    public void Conflicting_tls_options_are_an_error_whatever_their_values(string uri)
    {
        var ex = Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse(uri));
        Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
        Assert.Contains("both", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>The options that loosen TLS verification; the spec forbids some pairs of them (<see cref="ConflictPairs"/>).</summary>
    private static readonly string[] LooseningOptions =
        ["tlsInsecure", "tlsAllowInvalidCertificates", "tlsAllowInvalidHostnames", "tlsDisableOCSPEndpointCheck", "tlsDisableCertificateRevocationCheck"];

    /// <summary>
    /// Every pair of loosening options that is not a conflict, in both orders, with all four value
    /// combinations: with <see cref="ConflictingTlsOptionUris"/> this covers all ten pairs, so a rule the
    /// parser adds or drops shows on one side or the other.
    /// </summary>
    public static TheoryData<string> CompatibleTlsOptionUris()
    {
        var data = new TheoryData<string>();
        foreach (var (first, second) in LooseningOptions.SelectMany((a, i) => LooseningOptions.Skip(i + 1).Select(b => (a, b))))
        {
            if (ConflictPairs.Contains($"{first}|{second}") || ConflictPairs.Contains($"{second}|{first}"))
            {
                continue;
            }

            data.AddRange([.. PairUris("tls=true&", first, second)]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CompatibleTlsOptionUris))]
    public void Loosening_options_outside_the_conflict_table_combine(string uri)
    {
        var spec = MongoConnectionString.Parse(uri);
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.ConfigInvalid);
    }

    public static TheoryData<string, Outcome> TlsOptionCases() => new()
    {
        { "mongodb://example.com/?tls=true&tlsCAFile=ca.pem&tlsCertificateKeyFile=cert.pem", Outcome.Valid },
        { "mongodb://example.com/?tlsCertificateKeyFilePassword=hunter2", Outcome.Valid },
        { "mongodb://example.com/?tlsAllowInvalidCertificates=invalid", Outcome.Warning },
        { "mongodb://example.com/?tlsAllowInvalidCertificates=true", Outcome.Valid },
        { "mongodb://example.com/?tlsAllowInvalidHostnames=true", Outcome.Valid },
        { "mongodb://example.com/?tlsAllowInvalidHostnames=invalid", Outcome.Warning },
        { "mongodb://example.com/?tlsInsecure=true", Outcome.Valid },
        { "mongodb://example.com/?tlsInsecure=invalid", Outcome.Warning },
        { "mongodb://example.com/?tls=true&ssl=true", Outcome.Valid },
        { "mongodb://example.com/?tls=false&ssl=false", Outcome.Valid },
        { "mongodb://example.com/?ssl=true&tls=true", Outcome.Valid },
        { "mongodb://example.com/?ssl=false&tls=false", Outcome.Valid },
        { "mongodb://example.com/?tls=false&ssl=true", Outcome.Invalid },
        { "mongodb://example.com/?tls=true&ssl=false", Outcome.Invalid },
        { "mongodb://example.com/?ssl=false&tls=true", Outcome.Invalid },
        { "mongodb://example.com/?ssl=true&tls=false", Outcome.Invalid },
        { "mongodb://example.com/?tls=true&tls=false", Outcome.Invalid },
        { "mongodb://example.com/?tls=true&tlsDisableCertificateRevocationCheck=true", Outcome.Valid },
        { "mongodb://example.com/?tls=true&tlsDisableCertificateRevocationCheck=false", Outcome.Valid },
        { "mongodb://example.com/?tls=true&tlsDisableOCSPEndpointCheck=true", Outcome.Valid },
        { "mongodb://example.com/?tls=true&tlsDisableOCSPEndpointCheck=false", Outcome.Valid },
    };

    public static TheoryData<string, Outcome> ConnectionStringCases() => new()
    {
        // Invalid URIs.
        { "", Outcome.Invalid },
        { "mongo://localhost:27017", Outcome.Invalid },
        { "mongodb://", Outcome.Invalid },
        { "mongodb://localhost::27017", Outcome.Invalid },
        { "mongodb://localhost::27017/", Outcome.Invalid },
        { "mongodb://::", Outcome.Invalid },
        { "mongodb://localhost,localhost::", Outcome.Invalid },
        { "mongodb://localhost::27017,abc", Outcome.Invalid },
        { "mongodb://localhost:-1", Outcome.Invalid },
        { "mongodb://localhost:0/", Outcome.Invalid },
        { "mongodb://localhost:65536", Outcome.Invalid },
        { "mongodb://localhost:65536/", Outcome.Invalid },
        { "mongodb://localhost:foo", Outcome.Invalid },
        { "mongodb://[::1]:-1", Outcome.Invalid },
        { "mongodb://[::1]:0/", Outcome.Invalid },
        { "mongodb://[::1]:65536", Outcome.Invalid },
        { "mongodb://[::1]:65536/", Outcome.Invalid },
        { "mongodb://[::1]:foo", Outcome.Invalid },
        { "mongodb://example.com/?w", Outcome.Invalid },
        { "mongodb://alice:foo:bar@127.0.0.1", Outcome.Invalid },
        { "mongodb://alice@@127.0.0.1", Outcome.Invalid },
        { "mongodb://alice@foo:bar@127.0.0.1", Outcome.Invalid },
        { "mongodb://alice/@localhost/db", Outcome.Invalid },
        { "mongodb://alice/bob:foo@localhost/db", Outcome.Invalid },
        { "mongodb://alice:foo/bar@localhost/db", Outcome.Invalid },
        { "mongodb:///tmp/mongodb-27017.sock/", Outcome.Invalid },
        { "mongodb+srv://test5.test.mongodb.com,test6.test.mongodb.com", Outcome.Invalid },
        { "mongodb+srv://test7.test.mongodb.com:27018", Outcome.Invalid },
        { "mongodb://alice%foo:bar@127.0.0.1", Outcome.Invalid },
        { "mongodb://user%20%:password@localhost", Outcome.Invalid },
        { "mongodb://user%w:password@localhost", Outcome.Invalid },

        // Warnings: ignored keys and values.
        { "mongodb://example.com/?foo=bar", Outcome.Warning },
        { "mongodb://example.com/?fsync=ifPossible", Outcome.Warning },
        { "mongodb://example.com/?replicaSet=test&replicaSet=test", Outcome.Warning },
        { "mongodb://example.com/?wtimeout=5&wtimeoutMS=10", Outcome.Warning },
        { "mongodb://localhost/?maxIdleTimeMS=", Outcome.Warning },
        { "mongodb://localhost/?journal=", Outcome.Warning },

        // Valid.
        { "mongodb://example.com?tls=true", Outcome.Valid },
        { "mongodb://alice:secret@example.com/admin?AUTHMechanism=PLAIN", Outcome.Valid },
        { "mongodb://alice:secret@example.com/admin?replicaset=my@replicaset", Outcome.Valid },
        { "mongodb://example.com/?authMechanism=MONGODB-OIDC&authMechanismProperties=TOKEN_RESOURCE:mongodb://test-cluster,ENVIRONMENT:azure", Outcome.Valid },

        // SRV rules of the URI options and seedlist specs.
        { "mongodb+srv://test1.test.build.10gen.cc/?directConnection=true", Outcome.Invalid },
        { "mongodb+srv://test1.test.build.10gen.cc/?directConnection=false", Outcome.Valid },
        { "mongodb://example.com/?srvServiceName=customname", Outcome.Invalid },
        { "mongodb://example.com/?srvMaxHosts=2", Outcome.Invalid },
        { "mongodb+srv://test1.test.build.10gen.cc/?srvMaxHosts=2&replicaSet=foo", Outcome.Invalid },
        { "mongodb+srv://test1.test.build.10gen.cc/?srvMaxHosts=2&loadBalanced=true", Outcome.Invalid },
        { "mongodb+srv://test1.test.build.10gen.cc/?srvMaxHosts=0&replicaSet=foo", Outcome.Valid },
        { "mongodb://a.example.com,b.example.com/?directConnection=true", Outcome.Invalid },
        { "mongodb://a.example.com,b.example.com/?directConnection=false", Outcome.Valid },
        { "mongodb://localhost/?authSource=", Outcome.Invalid },
    };

    [Theory]
    [MemberData(nameof(TlsOptionCases))]
    [MemberData(nameof(ConnectionStringCases))]
    public void Uri_has_the_outcome_the_specification_gives(string uri, Outcome expected)
    {
        MongoConnectionSpec spec;
        try
        {
            spec = MongoConnectionString.Parse(uri);
        }
        catch (DbTlsException ex)
        {
            Assert.True(expected == Outcome.Invalid, $"'{uri}' was rejected: {ex.Message}");
            Assert.Equal(FindingCodes.ConfigInvalid, ex.Code);
            return;
        }

        Assert.True(expected != Outcome.Invalid, $"'{uri}' was accepted but the specification makes it an error");
        var warnings = spec.Findings.Where(f => f.Code == FindingCodes.ConfigWarning).ToList();
        if (expected == Outcome.Warning)
        {
            Assert.NotEmpty(warnings);
        }
        else
        {
            Assert.True(warnings.Count == 0, $"unexpected warnings for '{uri}': {string.Join("; ", warnings.Select(w => w.Message))}");
        }
    }
    /// <summary>The SCRAM and default-mechanism cases of the auth spec's legacy connection-string tests: (uri, user, source, mechanism); a null user means no credential.</summary>
    public static TheoryData<string, string?, string?, string?> AuthCases() => new()
    {
        { "mongodb://user:password@localhost", "user", "admin", null },
        { "mongodb://user:password@localhost/foo", "user", "foo", null },
        { "mongodb://user:password@localhost/foo?authSource=bar", "user", "bar", null },
        { "mongodb://user:password@localhost/?authMechanism=SCRAM-SHA-1", "user", "admin", "SCRAM-SHA-1" },
        { "mongodb://user:password@localhost/foo?authMechanism=SCRAM-SHA-1", "user", "foo", "SCRAM-SHA-1" },
        { "mongodb://user:password@localhost/foo?authMechanism=SCRAM-SHA-1&authSource=bar", "user", "bar", "SCRAM-SHA-1" },
        { "mongodb://user:password@localhost/?authMechanism=SCRAM-SHA-256", "user", "admin", "SCRAM-SHA-256" },
        { "mongodb://user:password@localhost/foo?authMechanism=SCRAM-SHA-256", "user", "foo", "SCRAM-SHA-256" },
        { "mongodb://user:password@localhost/foo?authMechanism=SCRAM-SHA-256&authSource=bar", "user", "bar", "SCRAM-SHA-256" },
        { "mongodb://localhost/", null, null, null },
        { "mongodb://localhost/admin?authSource=foo", null, null, null },
    };

    [Theory]
    [MemberData(nameof(AuthCases))]
    public void Credential_follows_the_auth_spec(string uri, string? user, string? source, string? mechanism)
    {
        var spec = MongoConnectionString.Parse(uri);
        Assert.Equal(user, spec.User);
        Assert.Equal(user is null ? null : "password", spec.Password?.Reveal());
        Assert.Equal(source, spec.AuthSource);
        Assert.Equal(mechanism, spec.AuthMechanism);
    }

    [Theory]
    [InlineData("mongodb://localhost/?authMechanism=SCRAM-SHA-1")]
    [InlineData("mongodb://localhost/?authMechanism=SCRAM-SHA-256")]
    [InlineData("mongodb://user:password@localhost/foo?authSource=")]
    [InlineData("mongodb://localhost/admin?authSource=")]
    public void Invalid_auth_uris_are_rejected(string uri) =>
        Assert.Equal(FindingCodes.ConfigInvalid, Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse(uri)).Code);

    [Fact]
    public void User_info_edge_cases_of_the_connection_string_tests()
    {
        var noPassword = MongoConnectionString.Parse("mongodb://alice@127.0.0.1");
        Assert.Equal("alice", noPassword.User);
        Assert.Null(noPassword.Password);
        Assert.Equal("", MongoConnectionString.Parse("mongodb://alice:@127.0.0.1").Password!.Reveal());
        Assert.Equal(["b\u00fccher.example.com", "uml\u00e4ut.example.com"], MongoConnectionString.Parse("mongodb://B\u00fccher.example.com,uml\u00e4ut.example.com/").Hosts.Select(h => h.Host));
        Assert.Equal("test", MongoConnectionString.Parse("mongodb://localhost/test.collection").Database);
        Assert.Equal("admin?", MongoConnectionString.Parse("mongodb://localhost/admin%3F?w=1").Database);
        Assert.Equal("my@replicaset", MongoConnectionString.Parse("mongodb://alice:secret@example.com/admin?replicaset=my@replicaset").ReplicaSet);
    }
}
