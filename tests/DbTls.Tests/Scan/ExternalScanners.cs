using System.Globalization;
using System.Net;
using System.Xml.Linq;
using DbTls.Scan;
using DbTls.Scan.Probe;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Scan;

/// <summary>
/// What a scanner says a server accepts: per version, the suites by IANA name, in the order it reports them; the
/// (version, group) and (version, signature algorithm) pairs when the scanner reports them (null otherwise).
/// </summary>
internal sealed record ScannerView(IReadOnlyDictionary<string, IReadOnlyList<string>> Suites, IReadOnlyDictionary<string, string> Preference)
{
    /// <summary>An accepted-anything answer is the pair (version, "ANY"), as sslscan writes it.</summary>
    public const string AnySignature = "ANY";

    public ISet<(string Version, string Group)>? Groups { get; init; }

    public ISet<(string Version, string Signature)>? Signatures { get; init; }

    public static ScannerView Of(ScanReport report) => new(
        report.Versions.Where(v => v.Accepted).ToDictionary(v => v.Version, v => (IReadOnlyList<string>)v.Suites.Select(s => s.Name).ToList()),
        report.Versions.Where(v => v.Order is not null).ToDictionary(v => v.Version, v => v.Order!))
    {
        Groups = report.Versions.SelectMany(v => v.Groups.Select(g => (v.Version, g))).ToHashSet(),
        Signatures = report.Versions.Any(v => v.SignatureAlgorithms is not null)
            ? report.Versions.SelectMany(v => v.AnySignatureAlgorithm == true ? [(v.Version, AnySignature)] : (v.SignatureAlgorithms ?? []).Select(s => (v.Version, s))).ToHashSet()
            : null,
    };

    public ISet<(string Version, string Suite)> Set => Suites.SelectMany(kv => kv.Value.Select(s => (kv.Key, s))).ToHashSet();
}

/// <summary>The real scanners the scan is held against: sslscan (--xml) and nmap's ssl-enum-ciphers (-oX).</summary>
internal static class ExternalScanners
{
    /// <param name="signatures">Also enumerate signature algorithms (--show-sigs, about 60 more connections).</param>
    public static async Task<ScannerView> SslscanAsync(IPEndPoint endpoint, bool postgres = false, bool signatures = false)
    {
        var arguments = new List<string> { "--xml=-", "--no-colour", "--no-heartbleed", "--no-renegotiation", "--no-compression", "--no-fallback", "--no-check-certificate" };
        if (postgres)
        {
            arguments.Add("--starttls-psql");
        }

        if (signatures)
        {
            arguments.Add("--show-sigs");
        }

        arguments.Add($"{endpoint.Address}:{endpoint.Port}");
        var run = await ProcessRunner.RunAsync("sslscan", arguments, TimeSpan.FromSeconds(120));
        var xml = XDocument.Parse(run.Stdout[run.Stdout.IndexOf('<', StringComparison.Ordinal)..]);
        var suites = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var cipher in xml.Descendants("cipher"))
        {
            var version = (string)cipher.Attribute("sslversion")!;
            var id = ushort.Parse(((string)cipher.Attribute("id")!)[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            (suites.TryGetValue(version, out var list) ? list : suites[version] = []).Add(CipherSuite.Of(id).Name);
        }

        return new ScannerView(suites.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value), new Dictionary<string, string>())
        {
            Groups = xml.Descendants("group")
                .Select(g => ((string)g.Attribute("sslversion")!, NamedGroup.Of(Hex((string)g.Attribute("id")!)).Name))
                .ToHashSet(),
            Signatures = signatures
                ? xml.Descendants("connection-signature-algorithm").Select(s => ((string)s.Attribute("sslversion")!, (string)s.Attribute("name")!)).ToHashSet()
                : null,
        };
    }

    private static ushort Hex(string value) => ushort.Parse(value.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>
    /// nmap speaks PostgreSQL STARTTLS or TDS PRELOGIN only on a port its services file calls postgresql or
    /// ms-sql-s: a one-line nmap-services in a --datadir says so (other data files still come from nmap's own
    /// directory; --servicedb would imply -F, which nmap refuses next to -p).
    /// </summary>
    public static async Task<ScannerView> NmapAsync(IPEndPoint endpoint, string? service = null)
    {
        var arguments = new List<string> { "-Pn", "-n", "-sT", "-p", endpoint.Port.ToString(CultureInfo.InvariantCulture), "--script", "ssl-enum-ciphers", "-oX", "-" };
        string? dataDirectory = null;
        if (service is not null)
        {
            dataDirectory = Directory.CreateTempSubdirectory("dbtls-nmap-").FullName;
            await File.WriteAllTextAsync(Path.Combine(dataDirectory, "nmap-services"), $"{service}\t{endpoint.Port}/tcp\t0.5\n");
            arguments.AddRange(["--datadir", dataDirectory]);
        }

        arguments.Add(endpoint.Address.ToString());
        try
        {
            var run = await ProcessRunner.RunAsync("nmap", arguments, TimeSpan.FromSeconds(180));
            var script = XDocument.Parse(run.Stdout).Descendants("script").FirstOrDefault(s => (string?)s.Attribute("id") == "ssl-enum-ciphers");
            var suites = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var preference = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var version in script?.Elements("table") ?? [])
            {
                var name = (string)version.Attribute("key")!;
                suites[name] = version.Elements("table").Where(t => (string?)t.Attribute("key") == "ciphers")
                    .SelectMany(t => t.Elements("table"))
                    .Select(t => Iana(t.Elements("elem").First(e => (string?)e.Attribute("key") == "name").Value))
                    .ToList();
                if (version.Elements("elem").FirstOrDefault(e => (string?)e.Attribute("key") == "cipher preference") is { } order)
                {
                    preference[name] = order.Value;
                }
            }

            return new ScannerView(suites, preference);
        }
        finally
        {
            if (dataDirectory is not null)
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>nmap names the TLS 1.3 suites TLS_AKE_WITH_…; IANA has no "AKE_WITH_".</summary>
    private static string Iana(string name) => name.Replace("TLS_AKE_WITH_", "TLS_", StringComparison.Ordinal);
}
