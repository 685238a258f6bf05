using System.Text.Json;
using DbTls.Cli.Rendering;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

public class JsonReportTests
{
    private static async Task<string> CheckJson(CheckReport report)
    {
        var runner = FakeDialect.Returning(report);
        var result = await CliRun.RunAsync(["check", "host=db", "--format", "json"], null, h => h with
        {
            OutputIsTerminal = true,
            Dialects = h.Dialects.With(runner),
        });
        Assert.Equal("", result.Stderr);
        return result.Stdout;
    }

    [Fact]
    public async Task Uses_the_documented_field_names()
    {
        using var doc = JsonDocument.Parse(await CheckJson(SampleReports.Full()));
        var root = doc.RootElement;

        Assert.Equal("rejected", root.GetProperty("verdict").GetString());
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("sslrequest", root.GetProperty("negotiation").GetProperty("method").GetString());
        Assert.Equal("S", root.GetProperty("negotiation").GetProperty("attempts")[1].GetProperty("serverAnswer").GetString());

        var tls = root.GetProperty("tls");
        Assert.Equal("TLSv1.3", tls.GetProperty("protocol").GetString());
        Assert.Equal("TLS_AES_256_GCM_SHA384", tls.GetProperty("cipherSuite").GetString());
        Assert.Equal("postgresql", tls.GetProperty("alpn").GetString());

        var leaf = tls.GetProperty("certificates")[0];
        Assert.Equal("CN=db.internal.example.com, O=Example Corp", leaf.GetProperty("subject").GetString());
        Assert.Equal("CN=Example Intermediate CA, O=Example Corp", leaf.GetProperty("issuer").GetString());
        Assert.Equal(["db.internal.example.com", "*.replicas.example.com"], leaf.GetProperty("dnsNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["192.0.2.10", "2001:db8::10"], leaf.GetProperty("ipAddresses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), leaf.GetProperty("notBefore").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2025, 6, 20, 0, 0, 0, TimeSpan.Zero), leaf.GetProperty("notAfter").GetDateTimeOffset());
        Assert.Equal(SampleReports.LeafSha256, leaf.GetProperty("sha256").GetString());
        Assert.Equal("failed", tls.GetProperty("validation")[3].GetProperty("outcome").GetString());

        Assert.True(root.GetProperty("server").GetProperty("ssl").GetBoolean());

        var finding = root.GetProperty("findings")[1];
        Assert.Equal("cert.hostname-mismatch", finding.GetProperty("code").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("The certificate is not valid for db.example.com.", finding.GetProperty("message").GetString());
        Assert.StartsWith("Connect with a host name", finding.GetProperty("remedy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdout_is_exactly_one_json_document()
    {
        var stdout = await CheckJson(SampleReports.Full());

        Assert.StartsWith("{", stdout, StringComparison.Ordinal);
        Assert.EndsWith("}\n", stdout, StringComparison.Ordinal);
        Assert.NotNull(ReportJson.Deserialize(stdout));
    }

    [Fact]
    public async Task Null_sections_are_omitted()
    {
        var report = new CheckReport { Verdict = Verdicts.Failed, ExitCode = 2, Target = new TargetReport { Dialect = "libpq" } };

        using var doc = JsonDocument.Parse(await CheckJson(report));

        Assert.False(doc.RootElement.TryGetProperty("tls", out _));
        Assert.False(doc.RootElement.TryGetProperty("server", out _));
        Assert.False(doc.RootElement.TryGetProperty("login", out _));
        Assert.False(doc.RootElement.TryGetProperty("policy", out _));
    }

    [Theory]
    [InlineData(Severity.Info, "info")]
    [InlineData(Severity.Warning, "warning")]
    [InlineData(Severity.Error, "error")]
    public async Task Severity_is_lower_case(Severity severity, string expected)
    {
        var result = await CliRun.RunAsync(["check", "host=db", "-f", "json"], null, h => h with
        {
            Dialects = h.Dialects.With(FakeDialect.Throwing(new DbTlsException(FindingCodes.ConfigInvalid, "x"))),
        });
        Assert.Equal("error", ReportJson.Deserialize(result.Stdout)!.Findings[0].Severity);

        Assert.Equal(expected, FindingReport.From(new Finding("x.y", severity, "m", "r")).Severity);
    }

    [Fact]
    public void Renderer_output_is_the_library_serialization()
    {
        var report = SampleReports.Full();

        Assert.Equal(ReportJson.Serialize(report) + "\n", JsonReportRenderer.Render(report));
    }
}
