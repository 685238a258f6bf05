using System.Net;
using DbTls.Conversion;
using DbTls.Dialects;
using DbTls.Policy;
using DbTls.Tests.Dialects.FreeTds;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;
using Xunit.Abstractions;

namespace DbTls.Tests.Explain;

/// <summary>
/// Converted SQL Server strings proven by the real drivers (issue 13, "Proof"): SqlClient, JDBC, ODBC Driver 18 and
/// freetds.conf policies converted to SqlClient and to a freetds.conf section, run by Microsoft.Data.SqlClient and by
/// tsql against the TDS test server with a good certificate (encryption not forced, and forced), an untrusted one, one
/// for another host name and an expired one. Each driver's verdict must equal dbtls check's on the conversion, and on
/// the original unless the conversion named the loss or gain that explains the difference. mssql-jdbc and ODBC Driver 18
/// are not installed here, so JDBC and ODBC are sources only. SqlClient's Encrypt=Strict is not in the matrix: its
/// freetds.conf conversion needs a newer FreeTDS than the installed one, a disagreement of its own test below.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConvertPeerTdsTests(TdsTestCertificates ca, ITestOutputHelper output) : IClassFixture<TdsTestCertificates>, IDisposable
{
    /// <summary>The policies; {root} is the trusted root. Every original is checked in a child whose system roots are the test root, as the drivers' are.</summary>
    private static readonly (string Dialect, string Settings)[] Sources =
    [
        ("sqlclient", "Encrypt=Mandatory"),
        ("sqlclient", "Encrypt=Mandatory;TrustServerCertificate=True"),
        ("sqlclient", "Encrypt=Optional"),
        ("jdbc", "encrypt=true"),
        ("jdbc", "encrypt=true;trustServerCertificate=true"),
        ("jdbc", "encrypt=false"),
        ("odbc", "Encrypt=yes"),
        ("odbc", "Encrypt=no"),
        ("odbc", "Encrypt=yes;TrustServerCertificate=yes"),
        ("freetds", "encryption = require\n\tca file = {root}"),
        ("freetds", "encryption = require"),
        ("freetds", "encryption = request"),
        ("freetds", "encryption = off"),
    ];

    /// <summary>The targets with a real driver here.</summary>
    private static readonly string[] Targets = ["sqlclient", "freetds"];

    private readonly string _directory = Directory.CreateTempSubdirectory("dbtls-convert-peers-tds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Conf => Path.Combine(_directory, "freetds.conf");

    private CheckEnvironment Environment(TdsTestServer server) =>
        new(new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = _directory, ["FREETDSCONF"] = Conf })
        {
            OsUserName = "tester",
            User = server.Options.User,
            Password = new Secret(server.Options.Password),
        };

    private static string Source(TdsTestServer server, string dialect, string settings, string section) => dialect switch
    {
        "sqlclient" => $"Data Source=tcp:127.0.0.1,{server.Port};User ID={server.Options.User};Password={server.Options.Password};{settings}",
        "jdbc" => $"jdbc:sqlserver://127.0.0.1:{server.Port};user={server.Options.User};password={server.Options.Password};{settings}",
        "odbc" => $"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:127.0.0.1,{server.Port};UID={server.Options.User};PWD={server.Options.Password};{settings}",
        _ => FreeTdsConnection(section),
    };

    private static string FreeTdsConnection(string section) => "freetds:" + section;

    private static string Section(string name, TdsTestServer server, string settings) =>
        $"[{name}]\n\thost = 127.0.0.1\n\tport = {server.Port}\n\ttds version = 7.4\n\t{settings}\n";

    /// <summary>A converted freetds.conf section under a name of its own, so that every conversion fits in one file.</summary>
    private static string Renamed(RenderedConnection rendered, string name)
    {
        var header = "[" + rendered.Target!["freetds:".Length..] + "]";
        Assert.StartsWith(header, rendered.Text, StringComparison.Ordinal);
        return "[" + name + "]" + rendered.Text[header.Length..] + "\n";
    }

    [Fact]
    public async Task Sqlclient_and_tsql_agree_with_the_converted_strings()
    {
        using var untrusted = new TdsTestCertificates();
        var now = DateTimeOffset.UtcNow;
        using var wrongHost = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec { CommonName = "db.example.test", DnsNames = ["db.example.test"] });
        using var expired = CertFactory.CreateLeaf(ca.Intermediate, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback], NotBefore = now.AddDays(-30), NotAfter = now.AddDays(-1) });
        (string Name, TdsTestServerOptions Options)[] fixtures =
        [
            ("good", ca.ServerOptions(new() { Encryption = PreLoginEncryption.Off })),
            ("good, encryption forced", ca.ServerOptions(new() { Encryption = PreLoginEncryption.Required })),
            ("untrusted root", untrusted.ServerOptions(new() { Encryption = PreLoginEncryption.Off })),
            ("wrong host", new() { Encryption = PreLoginEncryption.Off, Certificate = wrongHost.Certificate, Intermediates = [ca.Intermediate.Certificate] }),
            ("expired", new() { Encryption = PreLoginEncryption.Off, Certificate = expired.Certificate, Intermediates = [ca.Intermediate.Certificate] }),
        ];

        var servers = new List<TdsTestServer>();
        try
        {
            servers.AddRange(fixtures.Select(f => TdsTestServer.Start(f.Options)));
            var conf = new System.Text.StringBuilder("[global]\n\ttds version = 7.4\n");
            var sources = new List<(int Server, string Dialect, string Text)>();
            foreach (var (server, index) in servers.Select((s, i) => (s, i)))
            {
                foreach (var (dialect, settings) in Sources)
                {
                    var section = $"s{sources.Count}";
                    if (dialect == "freetds")
                    {
                        conf.Append(Section(section, server, settings.Replace("{root}", ca.RootPemPath, StringComparison.Ordinal)));
                    }

                    sources.Add((index, dialect, Source(server, dialect, settings, section)));
                }
            }

            await File.WriteAllTextAsync(Conf, conf.ToString());

            // Every conversion the drivers run, once each: the same SqlClient string twice would reuse a pooled connection
            // instead of making a handshake of its own.
            var lines = new List<string>();
            int Line(string line)
            {
                var at = lines.IndexOf(line);
                if (at < 0)
                {
                    lines.Add(line);
                    at = lines.Count - 1;
                }

                return at;
            }

            string ChildLine(TdsTestServer server, string dialect, string text) => dialect == "sqlclient"
                ? TdsPeerDrivers.SqlClientLine(PeerJudge.WithPassword(text, server.Options.Password))
                : TdsPeerDrivers.FreeTdsLine(Conf, text["freetds:".Length..], server.Options.User, server.Options.Password);

            var cases = new List<(int Source, ConversionOutcome Conversion, int Line)>();
            var converted = new System.Text.StringBuilder();
            foreach (var (source, index) in sources.Select((s, i) => (s, i)))
            {
                var server = servers[source.Server];
                foreach (var to in Targets.Where(t => t != source.Dialect))
                {
                    var conversion = ConnectionConverter.Convert(DialectRegistry.Default.Find(source.Dialect)!, source.Text, DialectRegistry.Default.Find(to)!, Environment(server));
                    Assert.True(conversion.Failure is null, $"{source.Dialect} → {to} of {conversion.RedactedSource}: {conversion.Failure?.Message}");
                    var text = conversion.Rendered!.Text;
                    if (to == "freetds")
                    {
                        var section = $"c{cases.Count}";
                        converted.Append(Renamed(conversion.Rendered, section));
                        text = FreeTdsConnection(section);
                    }

                    cases.Add((index, conversion, Line(ChildLine(server, to, text))));
                }
            }

            await File.AppendAllTextAsync(Conf, converted.ToString());
            var originals = PeerChild.CheckAsync(ca.RootPemPath, [.. sources.Select(s => PeerChild.CheckLine(
                s.Dialect, s.Text, servers[s.Server].Options.User, servers[s.Server].Options.Password, s.Dialect == "freetds" ? Conf : null))]);
            var child = await TdsPeerDrivers.RunAsync(ca.RootPemPath, lines);
            var original = await originals;

            var rows = cases.Select(c => new PeerRow(
                fixtures[sources[c.Source].Server].Name,
                c.Conversion,
                original[c.Source],
                child[c.Line].Dbtls,
                child[c.Line].Driver)).ToList();
            PeerJudge.Report(rows, output);
            PeerJudge.AssertAll(rows, minimumRows: fixtures.Length * 18);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A release difference, measured here and named by the conversion: SqlClient's
    /// Encrypt=Strict becomes <c>tds version = 8.0</c> and <c>encryption = strict</c>, which FreeTDS only knows from
    /// 1.4/1.5 on (as src/DbTls/Dialects/FreeTds/FreeTdsConnection.cs says). The tsql installed here (Debian's FreeTDS
    /// 1.3.17) refuses that section before connecting ("Error 20214: Local configuration error"), and dbtls check on it
    /// says ok (it models FreeTDS 1.5), so the conversion names the FreeTDS release the section needs.
    /// </summary>
    [Fact]
    public async Task A_strict_conversion_for_freetds_names_the_FreeTDS_release_it_needs()
    {
        await using var server = TdsTestServer.Start(ca.ServerOptions(new() { Encryption = PreLoginEncryption.Off }));
        var source = Source(server, "sqlclient", "Encrypt=Strict", "");
        var conversion = ConnectionConverter.Convert(DialectRegistry.Default.Find("sqlclient")!, source, DialectRegistry.Default.Find("freetds")!, Environment(server));
        await File.WriteAllTextAsync(Conf, Renamed(conversion.Rendered!, "strict"));

        // tsql refuses before it connects, so it runs here; TdsMatrixChild writes the query to a tsql that may already have exited.
        var text = Tsql.Run(["-S", "strict", "-U", server.Options.User, "-P", server.Options.Password], [("FREETDSCONF", Conf), ("HOME", _directory)]);
        var tsql = new PeerVerdict(!text.Contains("There was a problem connecting to the server", StringComparison.Ordinal), null, text.ReplaceLineEndings(" | "));
        var checks = await PeerChild.CheckAsync(ca.RootPemPath, [
            PeerChild.CheckLine("sqlclient", source, server.Options.User, server.Options.Password),
            PeerChild.CheckLine("freetds", "freetds:strict", server.Options.User, server.Options.Password, Conf)]);
        var dbtls = checks[1];
        var row = new PeerRow("good", conversion, checks[0], dbtls, tsql);
        output.WriteLine(row.ToString());

        // What was measured: the installed tsql refuses the section, dbtls (modelling FreeTDS 1.5) connects.
        Assert.False(tsql.Connected, row.ToString());
        Assert.Contains("20214", tsql.Detail, StringComparison.Ordinal);
        Assert.True(dbtls.Connected, row.ToString());

        // What is missing: a note that tells the user which FreeTDS the section needs.
        Assert.True(
            conversion.Rendered!.Notes.Concat(conversion.Differences).Any(n => n.Message.Contains("FreeTDS 1.", StringComparison.Ordinal)),
            "the conversion does not say that encryption = strict needs FreeTDS 1.4/1.5 or later: " + row);
    }
}
