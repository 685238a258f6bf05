using System.Text.RegularExpressions;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

/// <summary>The reference docs in docs/ must describe what the code does.</summary>
public partial class DocsTests
{
    private static readonly string DocsDirectory = FindDocs();

    [Fact]
    public void Finding_codes_doc_lists_exactly_the_catalogue()
    {
        var text = File.ReadAllText(Path.Combine(DocsDirectory, "finding-codes.md"));
        var documented = CodeHeading().Matches(text).Select(m => m.Groups[1].Value).ToList();

        var catalogue = FindingCatalog.All.Select(e => e.Code).ToList();
        Assert.Empty(catalogue.Except(documented));   // codes missing from the docs
        Assert.Empty(documented.Except(catalogue));   // documented codes that no longer exist
        Assert.Equal(documented.Count, documented.Distinct().Count());
    }

    [Fact]
    public void Finding_codes_doc_states_each_codes_severity_and_exit_code()
    {
        var text = File.ReadAllText(Path.Combine(DocsDirectory, "finding-codes.md"));
        var sections = CodeHeading().Split(text);

        // Split gives [preamble, code1, body1, code2, body2, ...].
        for (var i = 1; i + 1 < sections.Length; i += 2)
        {
            var entry = FindingCatalog.Get(sections[i]);
            var body = sections[i + 1];
            Assert.Contains($"Severity: **{entry.Severity.ToString().ToLowerInvariant()}**", body);
            Assert.Contains(entry.Severity == Severity.Error ? $"Exit code: **{FindingCatalog.ExitCodeFor(entry.Code)}**" : "Exit code: —", body);
        }
    }

    [Fact]
    public void Exit_codes_doc_lists_every_exit_code()
    {
        var text = File.ReadAllText(Path.Combine(DocsDirectory, "exit-codes.md"));

        foreach (var code in new[] { ExitCodes.Ok, ExitCodes.Rejected, ExitCodes.InvalidInput, ExitCodes.Network })
        {
            Assert.Matches($@"\|\s*`?{code}`?\s*\|", text);
        }
    }

    [Fact]
    public void Json_report_doc_mentions_every_field()
    {
        var text = File.ReadAllText(Path.Combine(DocsDirectory, "json-report.md"));

        // The serializer's own metadata, so a property added to the report later is covered too.
        var names = JsonPropertyNames(typeof(CheckReport), []).ToList();
        var missing = names.Where(name => !text.Contains($"`{name}`", StringComparison.Ordinal)).ToList();

        Assert.Contains("verdict", names);
        Assert.Contains("sha256", names);
        Assert.Empty(missing);
    }

    [Fact]
    public void Json_report_doc_example_is_a_valid_report()
    {
        var text = File.ReadAllText(Path.Combine(DocsDirectory, "json-report.md"));
        var match = JsonBlock().Match(text);
        Assert.True(match.Success, "json-report.md has a ```json example");

        var report = ReportJson.Deserialize(match.Groups[1].Value);

        Assert.NotNull(report);
        Assert.NotEmpty(report.Findings);
        Assert.All(report.Findings, f => FindingCatalog.Get(f.Code));
    }

    private static IEnumerable<string> JsonPropertyNames(Type type, HashSet<Type> seen)
    {
        if (!seen.Add(type))
        {
            yield break;
        }

        var info = ReportJsonContext.Default.GetTypeInfo(type)!;
        foreach (var property in info.Properties)
        {
            // Never serialised (e.g. a certificate's DER, kept for --save-chain), so not part of the documented contract.
            var clr = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (clr?.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), inherit: false) == true)
            {
                continue;
            }

            yield return property.Name;
            var inner = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : property.PropertyType;
            if (inner.Namespace == typeof(CheckReport).Namespace && inner.IsClass)
            {
                foreach (var name in JsonPropertyNames(inner, seen))
                {
                    yield return name;
                }
            }
        }
    }

    private static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DbTls.slnx")))
            {
                return Path.Combine(dir.FullName, "docs");
            }
        }

        throw new InvalidOperationException("repository root (DbTls.slnx) not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^### `([a-z0-9.\-]+)`\s*$", RegexOptions.Multiline)]
    private static partial Regex CodeHeading();

    [GeneratedRegex(@"```json\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
