using System.Globalization;
using System.Text;
using System.Xml;
using DbTls.Fleet;

namespace DbTls.Cli.Rendering;

/// <summary>
/// JUnit XML for CI systems: one test suite per group (targets without a group in <c>dbtls</c>), one test case per
/// target, a failure when the target did not pass (its exit code was not 0) with the error findings and unmet
/// requirements as the text. Written with XmlWriter, so a hostile certificate subject cannot break the XML.
/// </summary>
internal static class JunitRenderer
{
    public static string Render(IReadOnlyList<FleetResult> results)
    {
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = new UTF8Encoding(false) };
        using (var writer = XmlWriter.Create(new StringWriter(text, CultureInfo.InvariantCulture), settings))
        {
            writer.WriteStartElement("testsuites");
            Count(writer, results);
            foreach (var group in results.GroupBy(r => r.Target.Group ?? "dbtls").OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                writer.WriteStartElement("testsuite");
                writer.WriteAttributeString("name", Clean(group.Key));
                Count(writer, [.. group]);
                foreach (var result in group)
                {
                    WriteCase(writer, result, group.Key);
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        return text.Append('\n').ToString();
    }

    private static void Count(XmlWriter writer, IReadOnlyCollection<FleetResult> results)
    {
        writer.WriteAttributeString("tests", results.Count.ToString(CultureInfo.InvariantCulture));
        writer.WriteAttributeString("failures", results.Count(r => !r.Passed).ToString(CultureInfo.InvariantCulture));
        writer.WriteAttributeString("errors", "0");
        writer.WriteAttributeString("time", results.Sum(r => r.Duration.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture));
    }

    private static void WriteCase(XmlWriter writer, FleetResult result, string suite)
    {
        writer.WriteStartElement("testcase");
        writer.WriteAttributeString("classname", Clean(suite));
        writer.WriteAttributeString("name", Clean(result.Target.Name));
        writer.WriteAttributeString("time", result.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        if (!result.Passed)
        {
            var lines = result.Report.Findings.Where(f => f.Severity == "error").Select(f => $"{f.Code}: {f.Message} Fix: {f.Remedy}")
                .Concat(result.Gate.Failures.SelectMany(g => g.Reasons.Select(r => $"requirement {g.Requirement} not met: {r}")))
                .ToList();
            writer.WriteStartElement("failure");
            writer.WriteAttributeString("message", Clean($"{result.Report.Verdict}, protection {result.Report.Protection}, exit {result.ExitCode}"));
            writer.WriteAttributeString("type", result.Report.Findings.FirstOrDefault(f => f.Severity == "error")?.Code ?? "dbtls.gate");
            writer.WriteString(Clean(string.Join('\n', lines)));
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    // XML 1.0 cannot carry most control characters at all, even escaped; a server may put them in a certificate subject.
    private static string Clean(string text) =>
        text.Any(c => char.IsControl(c) && c is not '\n' and not '\t')
            ? new string([.. text.Select(c => char.IsControl(c) && c is not '\n' and not '\t' ? '?' : c)])
            : text;
}
