using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Tds;
using DbTls.Policy;

namespace DbTls.Tests.Dialects.FreeTds;

/// <summary>
/// The FreeTDS dialect against FreeTDS itself: tsql (Debian's freetds-bin) writes the configuration it
/// resolved when TDSDUMPCONFIG is set, and the dialect must arrive at the same file and settings. The
/// scenarios use only what tsql 1.3.17 knows (no strict, no certificate hostname, no ~/.config).
/// Servers are 127.0.0.1 on ports nothing listens on, so tsql stops right after reading its configuration.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class FreeTdsTsqlAgreementTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _server = "dbtls" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Freetdsconf_file_with_every_tls_option()
    {
        var conf = _dir.Write("a.conf", $"""
            [global]
                tds version = auto
            [{_server.ToUpperInvariant()}]
                host = 127.0.0.1   ; inline comment
                PORT = 1
                Encryption = require
                ca   file = {_dir.Combine("ca.pem")}
                crl file = {_dir.Combine("crl.pem")}
                check certificate hostname = no
                connect timeout = 7
                database = sales
                tds version = 7.3
                enable tls v1 = yes
            """);

        Compare(("FREETDSCONF", conf));
    }

    [Fact]
    public void Section_in_a_later_file_and_global_of_an_earlier_one()
    {
        var first = _dir.Write("first.conf", "[global]\nencryption = off\nport = 2\n[unrelated]\nhost = 127.0.0.2\n");
        _dir.Write("freetds/etc/freetds.conf", $"[{_server}]\nhost = 127.0.0.1\n");

        var (dump, spec) = Compare(("FREETDSCONF", first), ("FREETDS", _dir.Combine("freetds")));

        Assert.Equal(_dir.Combine("freetds/etc/freetds.conf"), dump.DefinedIn);
        Assert.Equal(2, spec.Port);
        Assert.Equal(TdsPreloginEncryption.NotSupported, spec.PreloginEncryption);
    }

    [Fact]
    public void Default_encryption_and_ca_file_system()
    {
        var conf = _dir.Write("a.conf", $"[{_server}]\nhost = 127.0.0.1\nport = 3\nca file = system\n");
        var (dump, spec) = Compare(("FREETDSCONF", conf));
        Assert.Equal(0, dump.EncryptLevel);
        Assert.Equal(TrustSource.System, spec.Tls.Trust);
    }

    [Fact]
    public void Environment_overrides_and_instance()
    {
        var conf = _dir.Write("a.conf", $"[{_server}]\nhost = 127.0.0.9\nport = 4\ninstance = inst\ntds version = 7.1\nencryption = request\n");
        Compare(("FREETDSCONF", conf), ("TDSPORT", "5"), ("TDSHOST", "127.0.0.1"), ("TDSVER", "7.4"));
    }

    [Fact]
    public void Instance_with_port()
    {
        var conf = _dir.Write("a.conf", $"[{_server}]\nhost = 127.0.0.1\nport = 7\ninstance = named\n");
        Compare(("FREETDSCONF", conf));
    }

    [Fact]
    public void Server_defined_nowhere()
    {
        var conf = _dir.Write("a.conf", "[global]\nport = 1\n[other]\nhost = 127.0.0.1\n");
        var dump = RunTsql(("FREETDSCONF", conf));

        Assert.Null(dump.DefinedIn);
        Assert.Contains($"Failed to find [{_server}] in configuration files", dump.Text, StringComparison.Ordinal);
        var error = TdsSpecAssert.Invalid(() => FreeTdsConnection.Parse("freetds:" + _server, "u", Environment(("FREETDSCONF", conf))));
        Assert.Contains($"{conf} (FREETDSCONF={conf}): no [{_server}] section", error.Message, StringComparison.Ordinal);
    }

    private (TsqlDump Dump, TdsConnectionSpec Spec) Compare(params (string Name, string Value)[] variables)
    {
        var dump = RunTsql(variables);
        var spec = FreeTdsConnection.Parse("freetds:" + _server, "u", Environment(variables));

        Assert.NotNull(dump.DefinedIn);
        Assert.Contains(spec.Sources, s => s.StartsWith($"freetds.conf: {dump.DefinedIn} (", StringComparison.Ordinal));
        Assert.Equal(dump.Final["server_host_name"], spec.Host);
        Assert.Equal(int.Parse(dump.Final["port"], CultureInfo.InvariantCulture), spec.Port);
        Assert.Equal(dump.Final["instance_name"], spec.Instance ?? string.Empty);
        Assert.Equal(dump.Final["database"], spec.Database ?? string.Empty);
        Assert.Equal(int.Parse(dump.Final["connect_timeout"], CultureInfo.InvariantCulture), (int)(spec.ConnectTimeout?.TotalSeconds ?? 0));

        // encrypt level: 0 default (request), 1 off, 2 request, 3 require.
        var expectedPrelogin = dump.EncryptLevel switch
        {
            0 or 2 => TdsPreloginEncryption.Off,
            1 => TdsPreloginEncryption.NotSupported,
            3 => TdsPreloginEncryption.On,
            _ => throw new InvalidOperationException($"unexpected encrypt level {dump.EncryptLevel}"),
        };
        Assert.Equal(expectedPrelogin, spec.PreloginEncryption);

        var caFile = dump.Final["cafile"];
        if (caFile.Length == 0)
        {
            Assert.Equal(VerificationLevel.None, spec.Tls.Verification);
        }
        else
        {
            Assert.Equal(caFile.Equals("system", StringComparison.OrdinalIgnoreCase) ? TrustSource.System : new TrustSource.PemFile(caFile), spec.Tls.Trust);
            Assert.Equal(dump.Final["check_ssl_hostname"] == "1" ? VerificationLevel.ChainAndHostName : VerificationLevel.Chain, spec.Tls.Verification);
            var crl = dump.Final["crlfile"];
            Assert.Equal(crl.Length == 0 ? [] : new[] { crl }, spec.Tls.Revocation.CrlFiles.ToArray());
        }

        // major_version/minor_version 0/0 is "auto".
        var version = dump.Final["major_version"] + "." + dump.Final["minor_version"];
        Assert.Contains(version == "0.0" ? "tds version = auto" : $"tds version = {version}", spec.PolicySummary, StringComparison.Ordinal);
        return (dump, spec);
    }

    private FreeTdsEnvironment Environment(params (string Name, string Value)[] variables)
    {
        // The files tsql would read: the same home directory (from the password database) and its compiled-in system file.
        var process = FreeTdsEnvironment.FromProcess();
        return new FreeTdsEnvironment(
            variables.ToImmutableDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal),
            process.HomeDirectory,
            [Path.Join(TsqlConfigDirectory.Value, "freetds.conf")],
            FreeTdsTlsBackend.GnuTls);
    }

    private static readonly Lazy<string> TsqlConfigDirectory = new(() =>
    {
        var output = Tsql.Run(["-C"], []);
        var match = ConfigDirectoryLine().Match(output);
        Assert.True(match.Success, "tsql -C printed no freetds.conf directory:\n" + output);
        return match.Groups[1].Value.Trim();
    });

    private TsqlDump RunTsql(params (string Name, string Value)[] variables)
    {
        var dumpPath = _dir.Combine($"dump-{Guid.NewGuid():N}.txt");
        Tsql.Run(["-S", _server, "-U", "u", "-P", "not-a-secret"], [.. variables, ("TDSDUMPCONFIG", dumpPath)]);
        Assert.True(File.Exists(dumpPath), "tsql wrote no TDSDUMPCONFIG file");
        return TsqlDump.Parse(File.ReadAllText(dumpPath));
    }

    [GeneratedRegex(@"freetds\.conf directory:\s*(\S+)")]
    private static partial Regex ConfigDirectoryLine();

    private sealed partial record TsqlDump(string Text, string? DefinedIn, int EncryptLevel, IReadOnlyDictionary<string, string> Final)
    {
        public static TsqlDump Parse(string text)
        {
            var defined = DefinedLine().Match(text);
            var final = new Dictionary<string, string>(StringComparer.Ordinal);
            var inFinal = false;
            foreach (var line in text.Split('\n'))
            {
                if (line.Contains("Final connection parameters:", StringComparison.Ordinal))
                {
                    inFinal = true;
                    continue;
                }

                var parameter = ParameterLine().Match(line);
                if (inFinal && parameter.Success)
                {
                    final[parameter.Groups[1].Value] = parameter.Groups[2].Value.TrimEnd('\r');
                }
            }

            Assert.True(final.ContainsKey("encrypt level"), "no final connection parameters in the dump:\n" + text);
            return new TsqlDump(
                text,
                defined.Success ? defined.Groups[1].Value : null,
                int.Parse(final["encrypt level"], CultureInfo.InvariantCulture),
                final);
        }

        [GeneratedRegex(@"Success: \[[^\]]*\] defined in (.+)\.\r?\n")]
        private static partial Regex DefinedLine();

        [GeneratedRegex(@"^config\.c:\d+:\t\s*([a-z_ ]+?) = ?(.*)$")]
        private static partial Regex ParameterLine();
    }
}
