using System.Globalization;
using System.Text;
using DbTls.Scan;

namespace DbTls.Cli.Rendering;

/// <summary><c>dbtls scan</c> as text: one block per accepted version, the facts, the certificate, the findings.</summary>
internal static class ScanTextRenderer
{
    public static string Render(ScanReport report)
    {
        var text = new StringBuilder();
        Line(text, $"dbtls scan {report.Target}  protocol {(report.Protocol.Length > 0 ? report.Protocol : "?")}{(report.ProtocolDetected ? " (detected)" : "")}  {report.Connections} connections, {report.ElapsedMs.ToString("0", CultureInfo.InvariantCulture)} ms");
        if (report.Sslv2 is { } sslv2)
        {
            Line(text, $"  {"SSLv2",-8} {(sslv2 ? "answered with SERVER-HELLO" : "not spoken")}");
        }

        foreach (var version in report.Versions)
        {
            if (!version.Accepted)
            {
                Line(text, $"  {version.Version,-8} not accepted ({version.Refusal})");
                continue;
            }

            var order = version.Order is null ? "" : $", {version.Order} order";
            Line(text, $"  {version.Version,-8} accepted: {version.Suites.Count} suite(s){order}");
            foreach (var suite in version.Suites)
            {
                Line(text, $"    {suite.Id}  {suite.Name}");
            }

            if (version.Groups.Count > 0)
            {
                Line(text, $"    groups: {string.Join(", ", version.Groups)}");
            }

            if (version.AnySignatureAlgorithm == true)
            {
                Line(text, "    signature algorithms: any (an unassigned one was accepted)");
            }
            else if (version.SignatureAlgorithms is { } signatures)
            {
                Line(text, $"    signature algorithms: {(signatures.Count == 0 ? "none accepted alone" : string.Join(", ", signatures))}");
            }
        }

        if (report.Extensions is { } ext)
        {
            Line(text, $"  secure renegotiation: {YesNo(ext.SecureRenegotiation)}, extended master secret: {YesNo(ext.ExtendedMasterSecret)}, compression: {YesNo(ext.Compression)}, OCSP stapled: {YesNo(ext.OcspStapled)}, resumption: {(ext.Resumption.Count == 0 ? "none" : string.Join(" and ", ext.Resumption))}, fallback SCSV: {(ext.FallbackScsv is { } scsv ? YesNo(scsv) : "cannot tell")}");
        }

        if (report.Postgres is { } pg)
        {
            Line(text, $"  PostgreSQL: SSLRequest answer {pg.SslRequestAnswer ?? "none"}, plaintext startup {(pg.PlaintextStartupAccepted is { } p ? (p ? "accepted" : "refused") : "no answer")}, direct TLS {YesNo(pg.DirectTls)}");
            Line(text, $"    direct TLS without ALPN refused: {Maybe(pg.DirectTlsAlpnEnforced)}; startup without TLS as {pg.PlaintextStartupUser ?? "?"}: {pg.PlaintextStartupAnswer ?? "no answer"}");
        }

        if (report.Tds is { } tds)
        {
            Line(text, $"  SQL Server: PRELOGIN ENCRYPTION answers {string.Join(", ", tds.EncryptionAnswers.Select(kv => $"{kv.Key}→{kv.Value}"))}; version {tds.ServerVersion ?? "?"}; TDS 8.0 strict {YesNo(tds.Strict)}");
            Line(text, $"    forced encryption {Maybe(tds.ForcedEncryption)}, login-only encryption {Maybe(tds.LoginOnlyEncryption)}, plaintext allowed {Maybe(tds.PlaintextAllowed)}; FEDAUTHREQUIRED answer {tds.FedAuthRequired ?? "none"}, instance accepted {Maybe(tds.InstanceAccepted)}");
        }

        if (report.Mongo is { } mongo)
        {
            Line(text, $"  MongoDB: implicit TLS {YesNo(mongo.ImplicitTls)}, plaintext hello answered {Maybe(mongo.PlaintextHelloAnswered)}{(mongo.PlaintextMaxWireVersion is { } wire ? $" (maxWireVersion {wire.ToString(CultureInfo.InvariantCulture)})" : "")}");
        }

        foreach (var certificate in report.Certificates)
        {
            Line(text, $"  certificate: {certificate.Subject}  issuer {certificate.Issuer}  {certificate.Key}  until {certificate.NotAfter:yyyy-MM-dd}");
        }

        foreach (var chain in report.OtherChains)
        {
            foreach (var certificate in chain.Certificates)
            {
                Line(text, $"  {chain.KeyType} certificate too: {certificate.Subject}  issuer {certificate.Issuer}  {certificate.Key}  until {certificate.NotAfter:yyyy-MM-dd}");
            }
        }

        foreach (var client in report.Clients)
        {
            Line(text, client.Connects
                ? $"  {client.Client} ({client.Environment}): connects with {client.Version} {client.Suite}{(client.Group is null ? "" : $" {client.Group}")}"
                : $"  {client.Client} ({client.Environment}): cannot connect, {client.Reason}");
        }

        if (report.Profile is { } profile)
        {
            Line(text, $"profile {profile.Name} ({profile.Guideline}): {(profile.Met ? "met" : "NOT met")}");
        }

        if (report.Findings.Count == 0)
        {
            Line(text, "no findings");
        }

        foreach (var finding in report.Findings)
        {
            Line(text, $"{finding.Severity} {finding.Code}: {finding.Message}");
            Line(text, $"  fix: {finding.Remedy}");
        }

        return text.ToString();
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Maybe(bool? value) => value is { } known ? YesNo(known) : "unknown";

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
