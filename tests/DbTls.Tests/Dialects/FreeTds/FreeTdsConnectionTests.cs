using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.FreeTds;

public sealed class FreeTdsConnectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Home => _dir.Combine("home");

    private string SystemFile => _dir.Combine("etc/freetds/freetds.conf");

    [Fact]
    public void Request_with_no_ca_file_is_freetds_default_behaviour()
    {
        _dir.Write("etc/freetds/freetds.conf", "[global]\ntds version = auto\n[srv]\nhost = db.example.com\n");

        var spec = Parse("freetds:srv", "app");

        Assert.Equal("freetds", spec.Dialect);
        Assert.Equal("db.example.com", spec.Host);
        Assert.Equal(1433, spec.Port);
        Assert.Equal("app", spec.User);
        Assert.Null(spec.Password);
        Assert.Equal(TdsVersion.Tds74, spec.Version);
        Assert.Equal(TdsPreloginEncryption.Off, spec.PreloginEncryption);
        Assert.False(spec.LoginOnlySkipsValidation);
        Assert.Equal(EncryptionMode.Opportunistic, spec.Tls.Encryption);
        Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        Assert.Equal(HostNameRules.FreeTds, spec.Tls.HostNameRules);
        Assert.False(spec.Tls.SendSni);
        Assert.Empty(spec.Tls.Alpn);
        Assert.Equal(TlsProtocolVersion.Tls12, spec.Tls.MinProtocol);
        Assert.Null(spec.Tls.MaxProtocol);
        Assert.Equal("freetds:srv", spec.RedactedConnectionString);
        Assert.Equal("encryption = request; tds version = auto; ca file = (not set)", spec.PolicySummary);
        Assert.Contains($"freetds.conf: {SystemFile} (system file; the first file in FreeTDS's search order that defines [srv])", spec.Sources);
        Assert.Contains("encryption = request (FreeTDS's default for TDS 7.1 and later)", spec.Sources);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.TlsOpportunistic && f.Severity == Severity.Warning);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.CertNotVerified && f.Severity == Severity.Warning);
    }

    [Fact]
    public void Freetdsconf_comes_first_and_sources_say_why()
    {
        var custom = _dir.Write("custom/freetds.conf", "[srv]\nhost = from-env\n");
        _dir.Write("home/.freetds.conf", "[srv]\nhost = from-home\n");
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = from-system\n");

        var spec = Parse("freetds:srv", null, ("FREETDSCONF", custom));

        Assert.Equal("from-env", spec.Host);
        Assert.Contains($"freetds.conf: {custom} (FREETDSCONF={custom}; the first file in FreeTDS's search order that defines [srv])", spec.Sources);
        Assert.Contains($"host: [srv] of {custom} line 2", spec.Sources);
    }

    [Theory]
    [InlineData("freetds-dir", "from-freetds-dir")]
    [InlineData("dot-config", "from-dot-config")]
    [InlineData("dot-file", "from-dot-file")]
    [InlineData("system", "from-system")]
    public void Search_order_freetds_then_config_then_home_then_system(string firstPresent, string host)
    {
        var all = new[] { "freetds-dir", "dot-config", "dot-file", "system" };
        foreach (var candidate in all.SkipWhile(c => c != firstPresent))
        {
            var path = candidate switch
            {
                "freetds-dir" => "freetds/etc/freetds.conf",
                "dot-config" => "home/.config/freetds.conf",
                "dot-file" => "home/.freetds.conf",
                _ => "etc/freetds/freetds.conf",
            };
            _dir.Write(path, $"[srv]\nhost = from-{candidate}\n");
        }

        var spec = Parse("freetds:srv", null, ("FREETDS", _dir.Combine("freetds")));
        Assert.Equal(host, spec.Host);
        var reason = firstPresent switch
        {
            "freetds-dir" => $"FREETDS={_dir.Combine("freetds")}",
            "dot-config" => "user file (FreeTDS 1.5+)",
            "dot-file" => "user file",
            _ => "system file",
        };
        Assert.Contains(spec.Sources, s => s.StartsWith("freetds.conf: ", StringComparison.Ordinal) && s.Contains($"({reason};", StringComparison.Ordinal));
    }

    [Fact]
    public void The_first_file_that_defines_the_server_wins_not_the_first_that_exists()
    {
        _dir.Write("home/.freetds.conf", "[global]\nencryption = require\nport = 1500\n[other]\nhost = elsewhere\n");
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = db\n");

        var spec = Parse("freetds:srv");

        Assert.Equal("db", spec.Host);
        // The [global] of ~/.freetds.conf still counts: FreeTDS applied it on the way.
        Assert.Equal(1500, spec.Port);
        Assert.Equal(TdsPreloginEncryption.On, spec.PreloginEncryption);
        Assert.Contains("[global] of ~/.freetds.conf (user file) applied: FreeTDS read it on the way, it has no [srv] section", spec.Sources);
        Assert.Contains("encryption: [global] of ~/.freetds.conf line 2", spec.Sources);
        Assert.Contains($"freetds.conf: {SystemFile} (system file; the first file in FreeTDS's search order that defines [srv])", spec.Sources);
    }

    [Fact]
    public void Global_applies_before_the_section_even_when_written_after_it()
    {
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = db\nencryption = off\n[global]\nencryption = require\nconnect timeout = 9\n");
        var spec = Parse("freetds:srv");
        Assert.Equal(TdsPreloginEncryption.NotSupported, spec.PreloginEncryption);
        Assert.Equal(TimeSpan.FromSeconds(9), spec.ConnectTimeout);
    }

    [Fact]
    public void Section_names_are_case_insensitive()
    {
        _dir.Write("etc/freetds/freetds.conf", "[MyServer]\nhost = db\n");
        Assert.Equal("db", Parse("freetds:myserver").Host);
        Assert.Equal("db", Parse("FreeTDS:MYSERVER").Host);
    }

    [Fact]
    public void Unknown_server_lists_every_file_searched()
    {
        var custom = _dir.Write("custom.conf", "[other]\nhost = x\n");
        _dir.Write("etc/freetds/freetds.conf", "[global]\nport = 1\n");

        var error = TdsSpecAssert.Invalid(() => Parse("freetds:missing", null, ("FREETDSCONF", custom)));

        Assert.Contains("server \"missing\" is not defined in any freetds.conf", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{custom} (FREETDSCONF={custom}): no [missing] section", error.Message, StringComparison.Ordinal);
        Assert.Contains("~/.config/freetds.conf (user file (FreeTDS 1.5+)): cannot be opened", error.Message, StringComparison.Ordinal);
        Assert.Contains("~/.freetds.conf (user file): cannot be opened", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{SystemFile} (system file): no [missing] section", error.Message, StringComparison.Ordinal);
        Assert.Contains("[missing]", error.Remedy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("srv")]
    [InlineData("freetds:")]
    [InlineData("freetds:   ")]
    [InlineData("mssql:srv")]
    public void Target_must_name_a_section(string target) => TdsSpecAssert.Invalid(() => Parse(target));

    [Theory]
    [InlineData("off", (int)TdsPreloginEncryption.NotSupported, EncryptionMode.Disabled)]
    [InlineData("OFF", (int)TdsPreloginEncryption.NotSupported, EncryptionMode.Disabled)]
    [InlineData("request", (int)TdsPreloginEncryption.Off, EncryptionMode.Opportunistic)]
    [InlineData("Require", (int)TdsPreloginEncryption.On, EncryptionMode.Required)]
    [InlineData("strict", (int)TdsPreloginEncryption.NotSupported, EncryptionMode.TlsFirst)]
    public void Encryption_levels_and_the_prelogin_byte_they_send(string level, int sentValue, EncryptionMode mode)
    {
        var sent = (TdsPreloginEncryption)sentValue; // an int in the signature: the enum is internal and a public test method cannot take it
        var spec = Section($"host = db\nencryption = {level}");
        Assert.Equal(sent, spec.PreloginEncryption);
        Assert.Equal(mode, spec.Tls.Encryption);
        Assert.StartsWith($"encryption = {level.ToLowerInvariant()};", spec.PolicySummary, StringComparison.Ordinal);
    }

    [Fact]
    public void Off_answer_table_goes_on_with_tls_when_the_server_requires_it()
    {
        var spec = Section("host = db\nencryption = off");
        var table = spec.ServerAnswers;
        TdsSpecAssert.Rule(table.NotSupported, TdsAnswerAction.Plaintext, false);
        TdsSpecAssert.Rule(table.Required, TdsAnswerAction.Encrypt, false);
        Assert.Contains("cTDS documentation says the connection fails", table.Required.Note, StringComparison.Ordinal);
        TdsSpecAssert.Rule(table.Off, TdsAnswerAction.LoginOnly, false);
        TdsSpecAssert.Rule(table.On, TdsAnswerAction.Encrypt, false);
        TdsSpecAssert.Rule(table.Other, TdsAnswerAction.Encrypt, false);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.TlsOpportunistic && f.Message.Contains("ENCRYPT_NOT_SUP", StringComparison.Ordinal));
    }

    [Fact]
    public void Request_answer_table()
    {
        var table = Section("host = db\nencryption = request\nca file = system").ServerAnswers;
        TdsSpecAssert.Rule(table.Off, TdsAnswerAction.LoginOnly, true);
        TdsSpecAssert.Rule(table.On, TdsAnswerAction.Encrypt, true);
        TdsSpecAssert.Rule(table.NotSupported, TdsAnswerAction.Plaintext, false);
        TdsSpecAssert.Rule(table.Required, TdsAnswerAction.Encrypt, true);
        TdsSpecAssert.Rule(table.For(0x7F), TdsAnswerAction.Encrypt, true);
    }

    [Fact]
    public void Require_fails_only_on_not_supported_and_still_accepts_login_only()
    {
        var spec = Section("host = db\nencryption = require\nca file = /ca.pem");
        var table = spec.ServerAnswers;
        TdsSpecAssert.Rule(table.NotSupported, TdsAnswerAction.Fail, false);
        TdsSpecAssert.Rule(table.Off, TdsAnswerAction.LoginOnly, true);
        Assert.Contains("even under encryption = require", table.Off.Note, StringComparison.Ordinal);
        TdsSpecAssert.Rule(table.On, TdsAnswerAction.Encrypt, true);
        TdsSpecAssert.Rule(table.Required, TdsAnswerAction.Encrypt, true);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "still accepts a server answer of ENCRYPT_OFF"));
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.TlsOpportunistic);
    }

    [Fact]
    public void Strict_implies_tds8_alpn_and_the_system_trust_store()
    {
        var spec = Section("host = db\nencryption = strict");

        Assert.Equal(TdsVersion.Tds80, spec.Version);
        Assert.True(spec.TlsFirst);
        Assert.Equal(["tds/8.0"], spec.Tls.Alpn.ToArray());
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.Equal(TrustSource.System, spec.Tls.Trust);
        Assert.Contains("ca file = system (implied by encryption = strict)", spec.Sources);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "need FreeTDS 1.5 or later"));
        foreach (byte answer in new byte[] { 0, 1, 2, 3, 4 })
        {
            TdsSpecAssert.Rule(spec.ServerAnswers.For(answer), TdsAnswerAction.Encrypt, true);
        }
    }

    [Fact]
    public void Tds_version_8_implies_strict()
    {
        var spec = Section("host = db\ntds version = 8.0\nencryption = request");
        Assert.Equal(EncryptionMode.TlsFirst, spec.Tls.Encryption);
        Assert.Equal(TdsVersion.Tds80, spec.Version);
        Assert.Contains(spec.Sources, s => s.StartsWith("encryption = strict (implied by tds version = 8.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Strict_keeps_an_explicit_ca_file_and_hostname_setting()
    {
        var spec = Section("host = db\nencryption = strict\nca file = /etc/ca.pem\ncheck certificate hostname = no");
        Assert.Equal(new TrustSource.PemFile("/etc/ca.pem"), spec.Tls.Trust);
        Assert.Equal(VerificationLevel.Chain, spec.Tls.Verification);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.CertNotVerified && f.Message.Contains("check certificate hostname = no", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("system")]
    [InlineData("SYSTEM")]
    public void Ca_file_system_is_the_os_trust_store(string value)
    {
        var spec = Section($"host = db\nca file = {value}");
        Assert.Equal(TrustSource.System, spec.Tls.Trust);
        Assert.Equal(VerificationLevel.ChainAndHostName, spec.Tls.Verification);
        Assert.DoesNotContain(spec.Findings, f => f.Code == FindingCodes.CertNotVerified);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("False", false)]
    public void Check_certificate_hostname_booleans(string value, bool checks) =>
        Assert.Equal(checks ? VerificationLevel.ChainAndHostName : VerificationLevel.Chain, Section($"host = db\nca file = /ca.pem\ncheck certificate hostname = {value}").Tls.Verification);

    [Fact]
    public void Certificate_hostname_and_crl_file_apply_only_with_a_ca_file()
    {
        var with = Section("host = 10.0.0.5\nca file = /ca.pem\ncrl file = /crl.pem\ncertificate hostname = db.example.com");
        Assert.Equal("db.example.com", with.Tls.ExpectedHostName);
        Assert.Equal(["/crl.pem"], with.Tls.Revocation.CrlFiles.ToArray());
        Assert.Equal(RevocationScope.FullChain, with.Tls.Revocation.Scope);
        Assert.Contains("certificate hostname: [srv] of", string.Join("\n", with.Sources), StringComparison.Ordinal);

        var without = Section("host = 10.0.0.5\ncrl file = /crl.pem\ncertificate hostname = db.example.com");
        Assert.Null(without.Tls.ExpectedHostName);
        Assert.False(without.Tls.Revocation.Enabled);
        Assert.True(TdsSpecAssert.HasFinding(without, FindingCodes.ConfigNote, "crl file is ignored because ca file is not set"));
        Assert.True(TdsSpecAssert.HasFinding(without, FindingCodes.ConfigNote, "certificate hostname is ignored"));
    }

    [Fact]
    public void Gnutls_builds_use_gnutls_host_name_rules_and_crl_semantics()
    {
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = db\nca file = /ca.pem\ncrl file = /crl.pem\n");
        var spec = FreeTdsConnection.Parse("freetds:srv", null, Environment() with { TlsBackend = FreeTdsTlsBackend.GnuTls });
        Assert.Equal(HostNameRules.FreeTdsGnuTls, spec.Tls.HostNameRules);
        Assert.Equal(RevocationScope.AvailableCrlsOnly, spec.Tls.Revocation.Scope);
    }

    [Theory]
    [InlineData("", TlsProtocolVersion.Tls12, false)]
    [InlineData("enable tls v1 = yes", TlsProtocolVersion.Tls10, true)]
    [InlineData("enable tls v1.1 = yes", TlsProtocolVersion.Tls11, true)]
    [InlineData("enable tls v1 = no\nenable tls v1.1 = no", TlsProtocolVersion.Tls12, false)]
    public void Legacy_tls_only_when_explicitly_enabled(string setting, TlsProtocolVersion min, bool warned)
    {
        var spec = Section($"host = db\n{setting}");
        Assert.Equal(min, spec.Tls.MinProtocol);
        Assert.Equal(warned, spec.Findings.Any(f => f.Code == FindingCodes.TlsWeakProtocol && f.Severity == Severity.Warning));
    }

    [Theory]
    [InlineData("encryption = maybe", "encryption = \"maybe\"")]
    [InlineData("check certificate hostname = perhaps", "check certificate hostname = \"perhaps\"")]
    [InlineData("enable tls v1 = 1", "enable tls v1 = \"1\"")]
    [InlineData("use utf-16 = sometimes", "use utf-16 = \"sometimes\"")]
    public void Invalid_values_make_freetds_refuse_the_configuration(string setting, string quoted)
    {
        var error = TdsSpecAssert.Invalid(() => Section($"host = db\n{setting}"));
        Assert.Contains(quoted, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("TDSECONF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_value_in_a_global_read_on_the_way_also_counts_but_not_in_an_unrelated_section()
    {
        _dir.Write("home/.freetds.conf", "[global]\nencryption = bogus\n");
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = db\n[other]\nencryption = bogus\n");
        var error = TdsSpecAssert.Invalid(() => Parse("freetds:srv"));
        Assert.Contains("[global] of ~/.freetds.conf line 2", error.Message, StringComparison.Ordinal);

        File.Delete(Path.Join(Home, ".freetds.conf"));
        Assert.Equal("db", Parse("freetds:srv").Host);
    }

    [Theory]
    [InlineData("4.2")]
    [InlineData("5.0")]
    [InlineData("50")]
    [InlineData("7.0")]
    [InlineData("70")]
    public void Versions_without_prelogin_are_rejected(string version) =>
        TdsSpecAssert.Invalid(() => Section($"host = db\ntds version = {version}"));

    [Theory]
    [InlineData("7.1")]
    [InlineData("7.2")]
    [InlineData("7.3")]
    public void Versions_71_to_73_negotiate_like_74(string version)
    {
        var spec = Section($"host = db\ntds version = {version}");
        Assert.Equal(TdsVersion.Tds74, spec.Version);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "PRELOGIN encryption works the same"));
        Assert.Contains($"tds version = {version}", spec.PolicySummary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9.9")]
    [InlineData("AUTO")]
    public void Unknown_versions_are_ignored_as_freetds_ignores_them(string version)
    {
        var spec = Section($"host = db\ntds version = 7.4\ntds version = {version}");
        Assert.Contains("tds version = 7.4", spec.PolicySummary, StringComparison.Ordinal);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "not a version FreeTDS knows"));
    }

    [Fact]
    public void Unknown_options_are_noted_with_their_place_and_known_ones_are_silent()
    {
        var spec = Section("host = db\nencrypt = require\nlogin timeout = 5\nclient charset = UTF-8\ntimeout = 30");
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "unknown option \"encrypt\" ([srv] of"));
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "unknown option \"login timeout\""));
        Assert.DoesNotContain(spec.Findings, f => f.Message.Contains("client charset", StringComparison.Ordinal));
        Assert.Equal(TdsPreloginEncryption.Off, spec.PreloginEncryption);
        Assert.Null(spec.LoginTimeout);
    }

    [Fact]
    public void Port_instance_timeout_and_database()
    {
        var spec = Section("host = db\nport = 1500abc\ninstance = INST\nconnect timeout = 12\ndatabase = sales");
        Assert.Equal(1500, spec.Port);
        Assert.Equal("INST", spec.Instance);
        Assert.Equal(TimeSpan.FromSeconds(12), spec.ConnectTimeout);
        Assert.Equal("sales", spec.Database);
        Assert.True(TdsSpecAssert.HasFinding(spec, FindingCodes.ConfigNote, "does not ask the SQL Server Browser"));
    }

    [Fact]
    public void Instance_without_port_is_rejected()
    {
        var error = TdsSpecAssert.Invalid(() => Section("host = db\ninstance = SQLEXPRESS"));
        Assert.Contains("SQL Server Browser", error.Message, StringComparison.Ordinal);
        Assert.Contains("port = <port> in [srv]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("port = 0")]
    [InlineData("port = -5")]
    [InlineData("port = abc")]
    public void Ports_freetds_ignores_leave_the_default(string setting) =>
        Assert.Equal(1433, Section($"host = db\n{setting}").Port);

    [Fact]
    public void Section_without_host_is_rejected() =>
        Assert.Contains("sets no host", TdsSpecAssert.Invalid(() => Section("port = 1433")).Message, StringComparison.Ordinal);

    [Fact]
    public void Environment_variables_override_freetds_conf()
    {
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = db\nport = 1500\ninstance = inst\ntds version = 7.3\n");

        var spec = Parse("freetds:srv", null, ("TDSPORT", "1600"), ("TDSHOST", "other.example.com"), ("TDSVER", "8.0"));

        Assert.Equal(1600, spec.Port);
        Assert.Null(spec.Instance);
        Assert.Equal("other.example.com", spec.Host);
        Assert.Equal(TdsVersion.Tds80, spec.Version);
        Assert.Contains("port 1600 (TDSPORT=1600, which also clears any instance)", spec.Sources);
        Assert.Contains("host other.example.com (TDSHOST=other.example.com)", spec.Sources);
        Assert.Contains("tds version = 8.0 (TDSVER=8.0)", spec.Sources);
    }

    [Fact]
    public void Password_comes_from_dbtls_password_and_never_shows()
    {
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = db\n");
        var spec = Parse("freetds:srv", "app", ("DBTLS_PASSWORD", "Fr33tds-S3cret"));
        Assert.Equal("Fr33tds-S3cret", spec.Password?.Reveal());
        Assert.Contains("password: DBTLS_PASSWORD", spec.Sources);
        TdsSpecAssert.NoSecret(spec, "Fr33tds-S3cret");
    }

    [Fact]
    public void Dot_config_file_is_noted_as_freetds_15()
    {
        _dir.Write("home/.config/freetds.conf", "[srv]\nhost = db\n");
        Assert.True(TdsSpecAssert.HasFinding(Parse("freetds:srv"), FindingCodes.ConfigNote, "~/.config/freetds.conf need FreeTDS 1.5"));
    }

    [Fact]
    public void Empty_freetdsconf_is_tried_and_skipped()
    {
        _dir.Write("etc/freetds/freetds.conf", "[srv]\nhost = db\n");
        Assert.Equal("db", Parse("freetds:srv", null, ("FREETDSCONF", "")).Host);
    }

    [Fact]
    public void A_misspelt_tls_option_is_a_warning_with_did_you_mean()
    {
        // FreeTDS drops "encrytion" and connects with its default (request): the user asked for require.
        var spec = Section("host = db\nencrytion = require\nca flie = /etc/ca.pem");
        var encryption = Assert.Single(spec.Findings, f => f.Message.Contains("\"encrytion\"", StringComparison.Ordinal));
        Assert.Equal((FindingCodes.ConfigWarning, Severity.Warning), (encryption.Code, encryption.Severity));
        Assert.Contains("did you mean \"encryption\"? The TLS setting \"encryption\" does not apply", encryption.Message, StringComparison.Ordinal);
        Assert.Contains(spec.Findings, f => f.Code == FindingCodes.ConfigWarning && f.Message.Contains("did you mean \"ca file\"?", StringComparison.Ordinal));
    }

    private TdsConnectionSpec Section(string body)
    {
        _dir.Write("etc/freetds/freetds.conf", $"[srv]\n{body}\n");
        return Parse("freetds:srv");
    }

    private TdsConnectionSpec Parse(string target, string? user = null, params (string Name, string Value)[] variables) =>
        FreeTdsConnection.Parse(target, user, Environment(variables));

    private FreeTdsEnvironment Environment(params (string Name, string Value)[] variables) => new(
        variables.ToImmutableDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal),
        Home,
        [SystemFile]);
}
