using System.Text.Json;
using DbTls.Fleet;
using DbTls.Reports;

namespace DbTls.Tests.Fleet;

public sealed class FleetJsonTests
{
    [Fact]
    public void A_line_is_the_single_report_plus_name_and_group_on_one_line()
    {
        var report = new CheckReport { Verdict = Verdicts.Ok, Protection = ProtectionLevels.Verified, Target = new TargetReport { Host = "db<1>&'x'", Port = 5432 } };
        var line = FleetJson.Line("orders \"1\"", "orders", report);
        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("orders \"1\"", root.GetProperty("name").GetString());
        Assert.Equal("orders", root.GetProperty("group").GetString());
        Assert.Equal("verified", root.GetProperty("protection").GetString());
        Assert.Equal("db<1>&'x'", root.GetProperty("target").GetProperty("host").GetString());
        using var single = JsonDocument.Parse(ReportJson.Serialize(report));
        Assert.Equal(
            single.RootElement.EnumerateObject().Select(p => p.Name),
            root.EnumerateObject().Select(p => p.Name).Skip(2));
    }

    [Fact]
    public void Lines_read_back_and_a_truncated_last_line_is_skipped()
    {
        var a = FleetJson.Line("a", null, new CheckReport { Verdict = Verdicts.Ok, ExitCode = 0 });
        var b = FleetJson.Line("b", "g", new CheckReport { Verdict = Verdicts.Rejected, ExitCode = 1 });
        var records = FleetJson.ReadAll(a + "\n" + b + "\n" + b[..(b.Length / 2)]);
        Assert.Equal([("a", (string?)null, "ok"), ("b", "g", "rejected")], records.Select(r => (r.Name, r.Group, r.Report.Verdict)));
    }

    [Fact]
    public void The_gate_is_written_only_when_given_and_reads_back()
    {
        var report = new CheckReport { Verdict = Verdicts.Ok, ExitCode = 0, Protection = ProtectionLevels.Encrypted };
        Assert.False(JsonDocument.Parse(FleetJson.Line("a", null, report)).RootElement.TryGetProperty("gate", out _));
        Assert.True(DbTls.Gates.GateProfiles.TryParse("verified", out var rules, out _));
        var evaluation = new DbTls.Gates.Gate(rules).Evaluate(report, DateTimeOffset.UnixEpoch);
        Assert.True(FleetJson.TryRead(FleetJson.Line("a", null, report, evaluation), out var record));
        var gate = Assert.IsType<FleetGateRecord>(record.Gate);
        Assert.False(gate.Passed);
        Assert.Equal(4, gate.ExitCode);
        var failure = Assert.Single(gate.Failures);
        Assert.Equal(("verified", "protection is encrypted, verified is required"), (failure.Requirement, Assert.Single(failure.Reasons)));
    }

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 0, 0 }, 0)]
    [InlineData(new[] { 0, 4 }, 4)]
    [InlineData(new[] { 4, 2, 0 }, 2)]
    [InlineData(new[] { 2, 3, 4 }, 3)]
    [InlineData(new[] { 3, 1, 4, 2 }, 1)]
    public void The_fleet_exit_code_is_the_most_telling_target_code(int[] codes, int expected) =>
        Assert.Equal(expected, FleetExitCode.Of(codes));
}
