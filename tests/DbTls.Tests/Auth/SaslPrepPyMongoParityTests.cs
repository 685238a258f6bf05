using System.Text;
using System.Text.Json;
using DbTls.Auth;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Auth;

/// <summary>
/// The MongoDB rules (<see cref="SaslPrepRules.Rfc4013"/>) against a real driver's SASLprep: PyMongo's
/// pymongo.saslprep.saslprep, which is what it applies to SCRAM-SHA-256 passwords (Python's stringprep tables,
/// Unicode 3.2 NFKC), run by Debian's python3 (package python3-pymongo). Same prepared string, or both refuse.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SaslPrepPyMongoParityTests
{
    private static readonly string[] Inputs =
    [
        "user", "I\u00ADX", "\u00AA", "\u2168", "\uFB01le", "a\u00A0b\u3000c", "soft\u200Bspace", "e\u0301", "p\u00E4ssw\u00F6rd",
        "\u0007", "a\u007Fb", "\uE000", "x\uFDD0", "x\u2FF0", "x\u200E", "x\uFFFD", "a\u0221b", "smile\U0001F600",
        "\u0627\u0031", "\u0627\u0031\u0628", "\u05D0a\u05D0", "\u05D0\u05D1", "a\u0340", "\u00AD\u200Dx", "\u1100\u1161\u11A8",
        "\u3392\u00BD", "\U0001D400x", "\u2460\u2461", "tab\there", "\uFF21\uFF22",
    ];

    [Fact]
    public async Task Mongo_rules_prepare_every_password_as_pymongo_does()
    {
        const string Script = """
            import json, sys
            from pymongo.saslprep import saslprep
            for line in sys.stdin:
                try:
                    print(json.dumps({"ok": saslprep(json.loads(line))}))
                except ValueError:
                    print(json.dumps({"ok": None}))
            """;
        var input = string.Join('\n', Inputs.Select(i => JsonSerializer.Serialize(i)));
        var run = await ProcessRunner.RunAsync(new ProcessSpec("/usr/bin/python3", ["-c", Script]) { StandardInput = input });
        Assert.True(run.Succeeded, run.ToString());

        var answers = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Inputs.Length, answers.Length);
        var mismatches = new StringBuilder();
        for (var i = 0; i < Inputs.Length; i++)
        {
            using var answer = JsonDocument.Parse(answers[i]);
            var pymongo = answer.RootElement.GetProperty("ok").GetString();
            var ours = SaslPrep.Prepare(Inputs[i], SaslPrepRules.Rfc4013).Value;
            if (!string.Equals(pymongo, ours, StringComparison.Ordinal))
            {
                mismatches.Append(i).Append(": pymongo ").Append(pymongo ?? "refuses").Append(", dbtls ").Append(ours ?? "refuses").Append('\n');
            }
        }

        Assert.True(mismatches.Length == 0, mismatches.ToString());
    }
}
