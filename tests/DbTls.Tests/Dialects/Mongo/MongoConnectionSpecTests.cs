using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.Mongo;

public class MongoConnectionSpecTests
{
    [Fact]
    public void Hosts_ports_and_ip_literals_are_parsed()
    {
        var spec = MongoConnectionString.Parse("mongodb://127.0.0.1,[::1]:27018,Example.COM:27019,256.0.0.1");
        Assert.Equal(
            [new MongoHost("127.0.0.1", 27017, MongoHostKind.IPv4), new MongoHost("::1", 27018, MongoHostKind.IPLiteral) { PortGiven = true },
             new MongoHost("example.com", 27019, MongoHostKind.HostName) { PortGiven = true }, new MongoHost("256.0.0.1", 27017, MongoHostKind.HostName)],
            spec.Hosts.ToArray());
        Assert.Equal("[::1]:27018", spec.Hosts[1].ToString());
        Assert.False(spec.HasCredential);
        Assert.Null(spec.AuthSource);
    }

    [Fact]
    public void Escaped_user_info_and_database_are_decoded()
    {
        var spec = MongoConnectionString.Parse("mongodb://%40l%3Ace%2F%3D@example.com/my%3Ddb");
        Assert.Equal("@l:ce/=", spec.User);
        Assert.Null(spec.Password);
        Assert.Equal("my=db", spec.Database);
        Assert.Equal("my=db", spec.AuthSource);

        spec = MongoConnectionString.Parse("mongodb://!$&'()*+,;=:!$&'()*+,;=@127.0.0.1/admin?authMechanism=PLAIN");
        Assert.Equal("!$&'()* ,;=", spec.User); // PyMongo's unquote_plus: '+' is a space
        Assert.Equal("!$&'()* ,;=", spec.Password!.Reveal());
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("'+'", StringComparison.Ordinal));
    }

    [Fact]
    public void Auth_source_defaults_follow_the_auth_spec()
    {
        Assert.Equal("admin", MongoConnectionString.Parse("mongodb://u:p@h").AuthSource);
        Assert.Equal("db1", MongoConnectionString.Parse("mongodb://u:p@h/db1.coll").AuthSource);
        Assert.Equal("other", MongoConnectionString.Parse("mongodb://u:p@h/db1?authSource=other").AuthSource);
        Assert.Equal("$external", MongoConnectionString.Parse("mongodb://h/?authMechanism=MONGODB-X509").AuthSource);
        Assert.Null(MongoConnectionString.Parse("mongodb://h/db1?authSource=other").User);
        Assert.Equal("SCRAM-SHA-1", MongoConnectionString.Parse("mongodb://u:p@h/?authMechanism=SCRAM-SHA-1").AuthMechanism);
    }

    [Fact]
    public void Tls_off_by_default_for_mongodb_and_on_for_srv()
    {
        var plain = MongoConnectionString.Parse("mongodb://db.example.com");
        Assert.Equal(EncryptionMode.Disabled, plain.Tls.Encryption);
        Assert.Contains(plain.Findings, f => f.Code == FindingCodes.TlsNotUsed);

        var srv = MongoConnectionString.Parse("mongodb+srv://cluster0.example.com/app");
        Assert.True(srv.IsSrv);
        Assert.Equal("cluster0.example.com", srv.SrvHostName);
        Assert.Equal(EncryptionMode.TlsFirst, srv.Tls.Encryption);
        Assert.Equal(VerificationLevel.ChainAndHostName, srv.Tls.Verification);
        Assert.Equal(HostNameRules.Rfc6125, srv.Tls.HostNameRules);
        Assert.Contains(srv.Sources, s => s.Contains("mongodb+srv", StringComparison.Ordinal));

        var srvOff = MongoConnectionString.Parse("mongodb+srv://cluster0.example.com/?tls=false");
        Assert.Equal(EncryptionMode.Disabled, srvOff.Tls.Encryption);
        Assert.Equal(EncryptionMode.Disabled, MongoConnectionString.Parse("mongodb+srv://cluster0.example.com", new MongoClientOptions { Tls = false }).Tls.Encryption);
    }

    [Fact]
    public void Tls_policy_maps_pymongo_verification_levels()
    {
        Assert.Equal(VerificationLevel.ChainAndHostName, MongoConnectionString.Parse("mongodb://h/?tls=true").Tls.Verification);
        Assert.Equal(VerificationLevel.Chain, MongoConnectionString.Parse("mongodb://h/?tls=true&tlsAllowInvalidHostnames=true").Tls.Verification);

        // CERT_NONE also switches the host-name check off in PyMongo.
        Assert.Equal(VerificationLevel.None, MongoConnectionString.Parse("mongodb://h/?tls=true&tlsAllowInvalidCertificates=true").Tls.Verification);
        var insecure = MongoConnectionString.Parse("mongodb://h/?tls=true&tlsInsecure=true");
        Assert.Equal(VerificationLevel.None, insecure.Tls.Verification);
        Assert.True(insecure.TlsSettings.AllowInvalidHostnames && insecure.TlsSettings.DisableOcspEndpointCheck);
        Assert.Contains(insecure.Findings, f => f.Code == FindingCodes.CertNotVerified);
    }

    [Fact]
    public void Files_map_to_trust_client_certificate_and_leaf_only_crl()
    {
        var spec = MongoConnectionString.Parse("mongodb://h/?tlsCAFile=%2Fetc%2Fca.pem&tlsCertificateKeyFile=/c/client.pem&tlsCertificateKeyFilePassword=hunter2&tlsCRLFile=/c/crl.pem");
        Assert.Equal(EncryptionMode.TlsFirst, spec.Tls.Encryption); // implied by the file options (PyMongo)
        Assert.Equal(new TrustSource.PemFile("/etc/ca.pem"), spec.Tls.Trust);
        Assert.Equal("/c/client.pem", spec.Tls.ClientCertificate!.CertificatePath);
        Assert.Equal("hunter2", spec.Tls.ClientCertificate.KeyPassword!.Reveal());
        Assert.Equal(["/c/crl.pem"], spec.Tls.Revocation.CrlFiles.ToArray());
        Assert.Equal(RevocationScope.LeafOnly, spec.Tls.Revocation.Scope);
        Assert.Contains(spec.Sources, s => s.Contains("implied by", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mongodb://h/?tls=false&tlsCAFile=ca.pem")]
    [InlineData("mongodb://h/?ssl=false&tlsCertificateKeyFile=c.pem")]
    [InlineData("mongodb://h/?tls=false&tlsAllowInvalidHostnames=false")]
    public void Tls_false_with_tls_options_is_an_error(string uri) =>
        Assert.Equal(FindingCodes.ConfigInvalid, Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse(uri)).Code);

    [Fact]
    public void Allow_invalid_true_alone_does_not_enable_tls()
    {
        var spec = MongoConnectionString.Parse("mongodb://h/?tlsAllowInvalidCertificates=true");
        Assert.False(spec.TlsSettings.Enabled);
    }

    [Fact]
    public void Crl_file_with_verification_off_is_warned_about()
    {
        var spec = MongoConnectionString.Parse("mongodb://h/?tls=true&tlsCRLFile=crl.pem&tlsAllowInvalidCertificates=true");
        Assert.False(spec.Tls.Revocation.Enabled);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigWarning && f.Message.Contains("tlsCRLFile", StringComparison.Ordinal));
    }

    [Fact]
    public void Option_keys_are_case_insensitive_and_legacy_booleans_are_ignored_like_pymongo()
    {
        Assert.True(MongoConnectionString.Parse("mongodb://h/?TLS=true").TlsSettings.Enabled);
        var spec = MongoConnectionString.Parse("mongodb://h/?tls=yes");
        Assert.False(spec.TlsSettings.Enabled);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigWarning && f.Message.Contains("legacy", StringComparison.Ordinal));
    }

    [Fact]
    public void Client_options_override_the_uri()
    {
        var spec = MongoConnectionString.Parse(
            "mongodb://u:uripass@h/?tls=true&tlsAllowInvalidHostnames=true&authSource=a",
            new MongoClientOptions { TlsAllowInvalidHostnames = false, Password = new Secret("codepass"), AuthSource = "b", TlsCAFile = "ca.pem" });
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal("codepass", spec.Password!.Reveal());
        Assert.Equal("b", spec.AuthSource);
        Assert.Equal(new TrustSource.PemFile("ca.pem"), spec.Tls.Trust);
        Assert.Contains(spec.Sources, s => s.Contains("overrides the URI", StringComparison.Ordinal));

        // tlsInsecure in code replaces the URI's finer options instead of conflicting with them.
        var insecure = MongoConnectionString.Parse("mongodb://h/?tls=true&tlsAllowInvalidHostnames=false", new MongoClientOptions { TlsInsecure = true });
        Assert.Equal(VerificationLevel.None, insecure.Tls.Verification);

        // A finer option in code overrides only itself: tlsInsecure's other implications stay (PyMongo).
        var partly = MongoConnectionString.Parse("mongodb://h/?tls=true&tlsInsecure=true", new MongoClientOptions { TlsAllowInvalidHostnames = false });
        Assert.True(partly.TlsSettings.AllowInvalidCertificates);
        Assert.False(partly.TlsSettings.AllowInvalidHostnames);
        Assert.Equal(VerificationLevel.None, partly.Tls.Verification);
        var strict = MongoConnectionString.Parse("mongodb://h/?tls=true&tlsInsecure=true", new MongoClientOptions { TlsAllowInvalidCertificates = false, TlsAllowInvalidHostnames = false });
        Assert.Equal(VerificationLevel.ChainAndHostName, strict.Tls.Verification);
    }

    [Fact]
    public void Conflicts_inside_client_options_are_errors_too() =>
        Assert.Equal(FindingCodes.ConfigInvalid, Assert.Throws<DbTlsException>(() =>
            MongoConnectionString.Parse("mongodb://h", new MongoClientOptions { TlsInsecure = true, TlsAllowInvalidCertificates = false })).Code);

    [Fact]
    public void Secrets_never_appear_in_redacted_uri_options_findings_or_sources()
    {
        const string uri = "mongodb://alice:S3cr%3At@h/?tlsCertificateKeyFilePassword=K3yPass&proxyHost=socks.example&proxyUsername=pu&proxyPassword=Pr0xy&tls=true&foo=bar";
        var spec = MongoConnectionString.Parse(uri, new MongoClientOptions { TlsCertificateKeyFilePassword = new Secret("C0dePass") });
        Assert.Equal("mongodb://alice:********@h/?tlsCertificateKeyFilePassword=********&proxyHost=socks.example&proxyUsername=pu&proxyPassword=********&tls=true&foo=bar", spec.RedactedUri);
        var everything = string.Join("\n", [spec.ToString(), spec.RedactedUri, .. spec.Options.Values, .. spec.Sources, .. spec.Findings.Select(f => f.Message + f.Remedy)]);
        foreach (var secret in new[] { "S3cr", "K3yPass", "Pr0xy", "C0dePass" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.Equal("S3cr:t", spec.Password!.Reveal());
    }

    [Theory]
    [InlineData("authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:T0ken%2Cpart")] // escaped comma: ambiguous, ignored
    [InlineData("authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN-T0ken")] // no KEY:VALUE pair
    public void An_invalid_authMechanismProperties_warning_names_the_problem_without_the_value(string options)
    {
        var spec = MongoConnectionString.Parse("mongodb://h/?" + options);

        var warning = Assert.Single(spec.Findings, f => f.Message.Contains("authMechanismProperties", StringComparison.Ordinal));
        Assert.Contains("is ignored", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("T0ken", warning.Message + warning.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_never_echo_the_password()
    {
        var ex = Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse("mongodb://alice:pa@ss@h"));
        Assert.DoesNotContain("pa@ss", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse("mongodb://alice:Hunter2Secret@h/?tlsCertificateKeyFilePassword=&tls=true&tlsInsecure=true&tlsAllowInvalidHostnames=true"));
        Assert.DoesNotContain("Hunter2Secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Semicolon_separators_are_accepted_but_not_mixed()
    {
        Assert.True(MongoConnectionString.Parse("mongodb://h/?tls=true;appname=x").TlsSettings.Enabled);
        Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse("mongodb://h/?tls=true;appname=x&w=1"));
    }

    [Fact]
    public void Database_with_forbidden_characters_is_rejected() =>
        Assert.Throws<DbTlsException>(() => MongoConnectionString.Parse("mongodb://h/my%20db"));

    [Fact]
    public void Timeouts_are_read_in_milliseconds()
    {
        var spec = MongoConnectionString.Parse("mongodb://h/?connectTimeoutMS=2500&serverSelectionTimeoutMS=100&directConnection=true&appname=dbtls%20check");
        Assert.Equal(TimeSpan.FromMilliseconds(2500), spec.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), spec.ServerSelectionTimeout);
        Assert.True(spec.DirectConnection);
        Assert.Equal("dbtls check", spec.AppName);
    }
}
