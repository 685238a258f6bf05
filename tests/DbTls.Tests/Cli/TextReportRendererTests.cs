using DbTls.Cli.Rendering;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

public class TextReportRendererTests
{
    private static string Render(CheckReport report, bool color = false, int width = 80) =>
        TextReportRenderer.Render(report, new TextSettings(color, width, SampleReports.Now));

    [Fact]
    public void Shows_every_section_with_its_fields()
    {
        var text = Render(SampleReports.Full());

        foreach (var section in new[] { "Target", "Policy", "Negotiation", "TLS", "Certificate chain", "Validation", "Login", "Server view", "Verdict", "Findings" })
        {
            Assert.Contains(section, text);
        }

        foreach (var field in new[]
        {
            "libpq", "host=db.example.com port=5433", "192.0.2.10", "5433", "alice", "PGSSLMODE=verify-full",
            "sslmode=verify-full", "chain-and-hostname", "TLSv1.2 or later", "/etc/ssl/dbtls/root.crl",
            "answer S", "fallback", "server closed the connection after",
            "TLSv1.3", "TLS_AES_256_GCM_SHA384", "postgresql", "not requested, none sent",
            "CN=db.internal.example.com, O=Example Corp", "CN=Example Intermediate CA, O=Example Corp",
            "*.replicas.example.com", "2001:db8::10", "2025-01-01 00:00:00 UTC", "2025-06-20 00:00:00 UTC",
            "ECDSA P-256", "sha256ECDSA", "RSA 3072", "sha384RSA", "CN=alice", "18.1", "256",
            "not attempted: the certificate was rejected",
        })
        {
            Assert.Contains(field, text);
        }
    }

    [Fact]
    public void Marks_validation_steps_passed_failed_and_skipped()
    {
        var lines = Render(SampleReports.Full()).Split('\n');

        Assert.Contains(lines, l => l.Contains("✓ chain", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("✓ validity", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("– revocation", StringComparison.Ordinal) && l.Contains("no CRL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("✗ hostname", StringComparison.Ordinal));
    }

    [Fact]
    public void Verdict_and_findings_are_explicit_and_most_severe_first()
    {
        var text = Render(SampleReports.Full());

        Assert.Contains("✗ REJECTED", text);
        Assert.Contains("exit code 1", text);
        var error = text.IndexOf("error  cert.hostname-mismatch", StringComparison.Ordinal);
        var warning = text.IndexOf("warning  cert.expiring-soon", StringComparison.Ordinal);
        Assert.True(error > 0 && warning > error, "the error finding comes before the warning");
        Assert.Contains("The certificate is not valid for db.example.com.", text);
        Assert.Contains("Fix: Connect with a host name", text);
        Assert.Contains("Fix: Renew the certificate before it expires.", text);
    }

    [Fact]
    public void Certificate_validity_is_judged_against_now()
    {
        var text = Render(SampleReports.Full());

        Assert.Contains("(in 18 days)", text);

        var expired = SampleReports.Full();
        expired.Tls!.Certificates[0].NotAfter = SampleReports.Now.AddDays(-3);
        Assert.Contains("(expired 3 days ago)", Render(expired));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(100)]
    public void Fits_the_width_and_keeps_fingerprints_whole(int width)
    {
        var text = Render(SampleReports.Full(), width: width);
        var lines = text.Split('\n');

        Assert.All(lines, l => Assert.True(l.Length <= width, $"line longer than {width}: '{l}'"));

        // Each fingerprint is two lines of 16 whole bytes, in order.
        foreach (var sha in new[] { SampleReports.LeafSha256, SampleReports.CaSha256 })
        {
            var first = string.Join(':', Enumerable.Range(0, 16).Select(i => sha.Substring(2 * i, 2)));
            var second = string.Join(':', Enumerable.Range(16, 16).Select(i => sha.Substring(2 * i, 2)));
            var firstLine = Array.FindIndex(lines, l => l.TrimEnd().EndsWith(first, StringComparison.Ordinal));
            Assert.True(firstLine >= 0, $"fingerprint line '{first}' not found whole");
            Assert.EndsWith(second, lines[firstLine + 1].TrimEnd(), StringComparison.Ordinal);
            Assert.Contains("SHA-256", lines[firstLine]);
        }
    }

    [Fact]
    public void No_colour_means_no_escape_codes_and_no_trailing_spaces()
    {
        var text = Render(SampleReports.Full(), color: false);

        Assert.DoesNotContain('\u001b', text);
        Assert.All(text.Split('\n'), l => Assert.False(l.EndsWith(' '), $"trailing space: '{l}'"));
    }

    [Fact]
    public void Colour_uses_escape_codes()
    {
        var text = Render(SampleReports.Full(), color: true);

        Assert.Contains("\u001b[", text);

        // Colour changes the look, not the words.
        var plain = System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "");
        Assert.Contains("✗ REJECTED", plain);
        Assert.Contains("Fix: Renew the certificate before it expires.", plain);
    }

    [Fact]
    public void Sections_that_were_not_reached_are_left_out()
    {
        var report = new CheckReport
        {
            Verdict = Verdicts.Failed,
            ExitCode = 2,
            Target = new TargetReport { Dialect = "libpq", ConnectionString = "sslmode=bogus" },
            Findings = [new FindingReport { Code = "config.invalid", Severity = "error", Message = "invalid sslmode value: \"bogus\"", Remedy = "Use one of disable, allow, prefer, require, verify-ca, verify-full." }],
        };

        var text = Render(report);

        Assert.Contains("✗ FAILED", text);
        Assert.Contains("invalid sslmode value: \"bogus\"", text);
        Assert.DoesNotContain("Negotiation", text);
        Assert.DoesNotContain("Certificate chain", text);
        Assert.DoesNotContain("Login", text);
    }

    [Fact]
    public void Text_from_the_server_is_not_read_as_markup()
    {
        var report = SampleReports.Full();
        report.Tls!.Certificates[0].Subject = "CN=[bold]evil[/], O=[red]x";

        var text = Render(report, color: true);

        Assert.Contains("CN=[bold]evil[/], O=[red]x", text);
    }

    [Fact]
    public void Ok_verdict_says_so()
    {
        var report = SampleReports.Full();
        report.Verdict = Verdicts.Ok;
        report.ExitCode = 0;
        report.Findings.Clear();

        var text = Render(report);

        Assert.Contains("✓ OK", text);
        Assert.Contains("exit code 0", text);
        Assert.Contains("None.", text);
    }

    [Theory]
    [InlineData("AB:CD", "AB:CD")]
    [InlineData("abcd", "AB:CD")]
    [InlineData("not hex", "not hex")]
    public void Fingerprint_format(string input, string expected) => Assert.Equal(expected, Fingerprint.Format(input));
}

public class LineBreaksTests
{
    [Fact]
    public void Long_uris_break_before_query_parameters()
    {
        var uri = "postgresql://alice:********@db.example.com:5432/app?sslmode=verify-full&sslrootcert=/etc/ssl/root.crt&connect_timeout=10";

        var lines = DbTls.Cli.Rendering.LineBreaks.AtSeparators(uri, 60).Split('\n');

        Assert.Equal(uri, string.Concat(lines));
        Assert.All(lines, l => Assert.True(l.Length <= 60, l));
        Assert.All(lines.Skip(1), l => Assert.True(l[0] is '?' or '&', l));
    }

    [Fact]
    public void Semicolon_strings_break_after_each_setting()
    {
        var text = "Server=tcp:db.example.com,1433;Database=app;Encrypt=Strict;HostNameInCertificate=db.example.com;";

        var lines = DbTls.Cli.Rendering.LineBreaks.AtSeparators(text, 40).Split('\n');

        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines.SkipLast(1), l => Assert.EndsWith(";", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("host=db sslmode=verify-full and a long tail that the terminal wraps at spaces", 20)]
    [InlineData("short", 20)]
    public void Leaves_short_or_spaced_text_alone(string text, int width) =>
        Assert.Equal(text, DbTls.Cli.Rendering.LineBreaks.AtSeparators(text, width));

    [Fact]
    public void The_target_string_is_shown_whole_settings_at_80_columns()
    {
        var report = SampleReports.Full();
        report.Target.ConnectionString = "postgresql://alice:********@db.example.com:5432/app?sslmode=verify-full&sslrootcert=/etc/ssl/root.crt&connect_timeout=10";

        var text = DbTls.Cli.Rendering.TextReportRenderer.Render(report, new DbTls.Cli.Rendering.TextSettings(false, 80, SampleReports.Now));

        Assert.Contains("&connect_timeout=10", text);
        Assert.Contains("&sslrootcert=/etc/ssl/root.crt", text);
    }
}
