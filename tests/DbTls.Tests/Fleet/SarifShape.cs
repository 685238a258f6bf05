using System.Text.Json;

namespace DbTls.Tests.Fleet;

/// <summary>
/// The SARIF 2.1.0 rules a consumer relies on (OASIS SARIF 2.1.0, §3.13 sarifLog, §3.14 run, §3.18 toolComponent,
/// §3.27 result, §3.11 message): version, runs, tool.driver.name, each result's message text, a level from the
/// enumeration, a ruleId that names a rule of the driver, and locations as objects.
/// </summary>
internal static class SarifShape
{
    private static readonly HashSet<string> Levels = ["none", "note", "warning", "error"];

    public static void AssertValid(JsonElement log)
    {
        Assert.Equal("2.1.0", log.GetProperty("version").GetString());
        var runs = log.GetProperty("runs");
        Assert.Equal(JsonValueKind.Array, runs.ValueKind);
        foreach (var run in runs.EnumerateArray())
        {
            var driver = run.GetProperty("tool").GetProperty("driver");
            Assert.False(string.IsNullOrEmpty(driver.GetProperty("name").GetString()));
            var rules = driver.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
            Assert.Equal(rules.Count, rules.Distinct().Count());
            foreach (var result in run.GetProperty("results").EnumerateArray())
            {
                Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetProperty("text").GetString()));
                Assert.Contains(result.GetProperty("level").GetString()!, Levels);
                Assert.Contains(result.GetProperty("ruleId").GetString(), rules);
                Assert.All(result.GetProperty("locations").EnumerateArray(), l => Assert.Equal(JsonValueKind.Object, l.ValueKind));
            }
        }
    }
}
