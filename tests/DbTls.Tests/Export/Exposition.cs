using System.Globalization;
using System.Text;

namespace DbTls.Tests.Export;

/// <summary>One sample of a parsed exposition.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, written from its rules (not from our writer): HELP and TYPE at
/// most once per family and before its samples, families not interleaved, TYPE one of counter/gauge/histogram/summary/
/// untyped, label values with only \\ \" \n escapes, Go float values, each line ending in \n.
/// </summary>
internal static class Exposition
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static List<Sample> Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new List<Sample>();
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                Assert.True(space > 0, line);
                var family = rest[..space];
                Assert.DoesNotContain(family, finished);
                if (current != family && current is not null)
                {
                    finished.Add(current);
                }

                current = family;
                if (line[2] == 'H')
                {
                    Assert.True(helped.Add(family), $"second HELP for {family}");
                    AssertEscapes(rest[(space + 1)..], allowQuote: false);
                }
                else
                {
                    Assert.False(typed.ContainsKey(family), $"second TYPE for {family}");
                    Assert.Contains(rest[(space + 1)..], Types);
                    typed[family] = rest[(space + 1)..];
                }

                continue;
            }

            Assert.False(line.StartsWith('#') || line.Length == 0, $"unexpected line '{line}'");
            var sample = ParseSample(line);
            Assert.True(sample.Name == current, $"sample {sample.Name} outside its family block");
            Assert.True(typed.ContainsKey(sample.Name) && helped.Contains(sample.Name), $"sample {sample.Name} before its HELP/TYPE");
            samples.Add(sample);
        }

        return samples;
    }

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[..i];
        Assert.True(name.Length > 0 && !char.IsAsciiDigit(name[0]), line);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_')
                {
                    i++;
                }

                var label = line[start..i];
                Assert.True(label.Length > 0 && line[i] == '=' && line[i + 1] == '"', line);
                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        value.Append(line[i + 1] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new Xunit.Sdk.XunitException($"bad escape in {line}"),
                        });
                        i += 2;
                    }
                    else
                    {
                        value.Append(line[i++]);
                    }
                }

                i++;
                Assert.True(labels.TryAdd(label, value.ToString()), $"label {label} twice");
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        Assert.Equal(' ', line[i]);
        var number = line[(i + 1)..];
        var parsed = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, parsed);
    }

    private static void AssertEscapes(string text, bool allowQuote)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                Assert.True(i + 1 < text.Length && (text[i + 1] is '\\' or 'n' || (allowQuote && text[i + 1] == '"')), text);
                i++;
            }
        }
    }
}
