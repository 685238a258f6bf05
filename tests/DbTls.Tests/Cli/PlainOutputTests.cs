using System.Text;
using DbTls.Cli.Rendering;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

/// <summary>
/// Issue 15: piped output keeps long values whole (copying a wrapped path breaks it) and a locale that is not UTF-8
/// gets ASCII instead of box drawing and ✓ ✗; on a terminal the report keeps its wrapped, drawn look.
/// </summary>
public sealed class PlainOutputTests
{
    // 200 characters of path, longer than any terminal line the report is laid out for.
    private static readonly string LongPath = "/srv/" + string.Concat(Enumerable.Repeat("deeply-nested-directory/", 7)) + new string('x', 200 - 5 - (7 * 24) - 9) + "/root.crt";

    private static CheckReport ReportWithLongPath()
    {
        var report = SampleReports.Full();
        report.Target.ConnectionString = $"host=db.example.com sslmode=verify-full sslrootcert={LongPath}";
        report.Findings.Add(new FindingReport
        {
            Code = "cert.root-file-missing",
            Severity = "error",
            Message = $"root certificate file \"{LongPath}\" does not exist",
            Remedy = "Provide the file.",
        });
        return report;
    }

    private static Task<CliResult> RunAsync(Dictionary<string, string> environment, bool terminal = false) =>
        CliRun.RunAsync(["check", "host=db"], environment, h => h with
        {
            OutputIsTerminal = terminal,
            Width = terminal ? 80 : null,
            Dialects = h.Dialects.With(FakeDialect.Returning(ReportWithLongPath())),
        });

    [Fact]
    public void The_long_path_is_200_characters()
    {
        Assert.Equal(200, LongPath.Length);
    }

    [Theory]
    [InlineData("LC_ALL", "C")]
    [InlineData("LANG", "C")]
    [InlineData("LANG", "POSIX")]
    [InlineData("LC_CTYPE", "en_US.ISO-8859-1")]
    public async Task Piped_under_a_non_utf8_locale_the_report_is_ascii_and_long_paths_are_whole(string variable, string locale)
    {
        var result = await RunAsync(new Dictionary<string, string> { [variable] = locale });

        Assert.Equal(1, result.ExitCode);
        Assert.All(Encoding.UTF8.GetBytes(result.Stdout), b => Assert.True(b < 0x80, $"byte 0x{b:X2} in the output"));

        // Once on the String line and once in the finding, each time on one line.
        Assert.Equal(2, result.Stdout.Split('\n').Count(l => l.Contains(LongPath, StringComparison.Ordinal)));
        Assert.Contains("x REJECTED", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("+ chain", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("-- Target ---", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("+-Verdict--", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_any_locale_variable_the_c_locale_applies()
    {
        var result = await RunAsync([]);

        Assert.All(Encoding.UTF8.GetBytes(result.Stdout), b => Assert.True(b < 0x80, $"byte 0x{b:X2} in the output"));
    }

    [Theory]
    [InlineData("LANG", "en_US.UTF-8")]
    [InlineData("LC_ALL", "C.utf8")]
    [InlineData("LC_CTYPE", "de_DE.UTF-8@euro")]
    public async Task Piped_under_a_utf8_locale_the_report_keeps_its_symbols_and_long_paths_are_whole(string variable, string locale)
    {
        var result = await RunAsync(new Dictionary<string, string> { [variable] = locale });

        Assert.Contains("✗ REJECTED", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ chain", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("┏━Verdict", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, result.Stdout.Split('\n').Count(l => l.Contains(LongPath, StringComparison.Ordinal)));

        // Rules and the verdict box still span the layout width; only values run past it.
        Assert.Contains(result.Stdout.Split('\n'), l => l.StartsWith("── Target ", StringComparison.Ordinal) && l.Length == TextSettings.DefaultWidth);
    }

    [Theory]
    [InlineData("C", "en_US.UTF-8", "en_US.UTF-8", false)]
    [InlineData(null, "C.UTF-8", "C", true)]
    [InlineData(null, null, "en_US.UTF-8", true)]
    [InlineData("en_US.UTF-8", "C", "C", true)]
    public async Task Lc_all_wins_over_lc_ctype_which_wins_over_lang(string? all, string? ctype, string lang, bool unicode)
    {
        var environment = new Dictionary<string, string> { ["LANG"] = lang };
        if (all is not null)
        {
            environment["LC_ALL"] = all;
        }

        if (ctype is not null)
        {
            environment["LC_CTYPE"] = ctype;
        }

        var result = await RunAsync(environment);

        Assert.Equal(unicode, result.Stdout.Contains('✗', StringComparison.Ordinal));
        Assert.Equal(!unicode, result.Stdout.Contains("x REJECTED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_terminal_of_80_columns_values_wrap_within_the_width()
    {
        var result = await RunAsync(new Dictionary<string, string> { ["LANG"] = "en_US.UTF-8", ["NO_COLOR"] = "1" }, terminal: true);

        var lines = result.Stdout.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
        Assert.DoesNotContain(lines, l => l.Contains(LongPath, StringComparison.Ordinal));
        Assert.Contains("✗ REJECTED", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en_US.UTF-8", true)]
    [InlineData("en_US.utf8", true)]
    [InlineData("C.UTF-8", true)]
    [InlineData("de_DE.UTF-8@euro", true)]
    [InlineData("C", false)]
    [InlineData("POSIX", false)]
    [InlineData("en_US", false)]
    [InlineData("en_US.ISO-8859-15", false)]
    [InlineData("de_DE@euro", false)]
    [InlineData("xx.UTF-16", false)]
    public void Locale_names_are_read_by_their_codeset(string locale, bool utf8)
    {
        Assert.Equal(utf8, LocalePolicy.IsUtf8Locale(locale));
    }

    [Fact]
    public void Ascii_folding_keeps_other_scripts_readable_as_escapes()
    {
        Assert.Equal("CN=M\\u00FCller -> x ok - done...", AsciiText.Fold("CN=Müller → ✗ ok – done…"));
        Assert.Equal("plain", AsciiText.Fold("plain"));
    }
}
