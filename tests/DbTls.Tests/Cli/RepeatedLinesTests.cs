using System.Net.Security;
using System.Security.Authentication;
using System.Text.Json;
using DbTls.Cli.Rendering;
using DbTls.Reports;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Cli;

/// <summary>
/// Issue 15: the same reason once, not once per validation step; no trust anchor named when nothing is verified.
/// Reproduced with MongoDB's tlsInsecure against a TLS server that hangs up after the handshake: the chain, purpose
/// and revocation steps all carry the same "not checked" reason.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RepeatedLinesTests(LocalhostCertificateFixture certificates) : IClassFixture<LocalhostCertificateFixture>
{
    private const string NotChecked = "not checked: the settings name no trust file";

    private LoopbackListener TlsThenHangUp() => new(async (client, stop) =>
    {
        using (client)
        {
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(
                ServerTls.Options(certificates.Leaf.Certificate, [certificates.Root.Certificate], SslProtocols.Tls12 | SslProtocols.Tls13), stop);
        }
    });

    private static string Insecure(LoopbackListener server) =>
        $"mongodb://127.0.0.1:{server.Port}/?tls=true&tlsInsecure=true&serverSelectionTimeoutMS=5000&connectTimeoutMS=5000";

    [Fact]
    public async Task Steps_skipped_for_the_same_reason_are_one_text_line_and_stay_separate_json_entries()
    {
        await using var server = TlsThenHangUp();

        var text = await CliRun.RunAsync(["check", Insecure(server)], new Dictionary<string, string> { ["LANG"] = "C.UTF-8" });
        var json = await CliRun.RunAsync(["check", "--format", "json", Insecure(server)]);

        Assert.Single(text.Stdout.Split('\n'), l => l.Contains(NotChecked, StringComparison.Ordinal));
        Assert.Contains("(same for purpose, revocation)", text.Stdout, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(json.Stdout);
        var steps = document.RootElement.GetProperty("tls").GetProperty("validation").EnumerateArray()
            .Where(s => s.GetProperty("detail").GetString()!.Contains(NotChecked, StringComparison.Ordinal))
            .Select(s => s.GetProperty("step").GetString())
            .ToList();
        Assert.Equal(["chain", "purpose", "revocation"], steps);
    }

    [Fact]
    public async Task With_verification_off_the_text_names_no_trust_anchor()
    {
        await using var server = TlsThenHangUp();

        var result = await CliRun.RunAsync(["check", Insecure(server)], new Dictionary<string, string> { ["LANG"] = "C.UTF-8" });

        Assert.Contains("  Verification  none", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Stdout.Split('\n'), l => l.StartsWith("  Trust ", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_neighbouring_steps_with_equal_outcome_and_detail_are_joined()
    {
        ValidationStepReport Step(string step, string outcome, string detail) => new() { Step = step, Outcome = outcome, Detail = detail };
        var rows = ValidationRows.Collapse(
        [
            Step("certificate", "passed", "presented"),
            Step("chain", "skipped", "off"),
            Step("purpose", "skipped", "off"),
            Step("revocation", "failed", "off"),
            Step("validity", "skipped", "off"),
            Step("hostname", "skipped", "off"),
        ]);

        Assert.Equal(
            [
                new ValidationRows.Row("passed", "certificate", "presented"),
                new ValidationRows.Row("skipped", "chain", "off (same for purpose)"),
                new ValidationRows.Row("failed", "revocation", "off"),
                new ValidationRows.Row("skipped", "validity", "off (same for hostname)"),
            ],
            rows);
    }
}
