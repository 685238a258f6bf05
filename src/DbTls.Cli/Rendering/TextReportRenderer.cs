using System.Globalization;
using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>
/// The human-readable report: one section per stage of the connection, then a verdict and the
/// findings with their fixes. Sections the check never reached are left out rather than shown empty.
/// </summary>
internal static class TextReportRenderer
{
    public static string Render(CheckReport report, TextSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        return SpectreConsoles.Render(settings, console => Write(console, report, settings));
    }

    public static void Write(IAnsiConsole console, CheckReport report, TextSettings settings)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);

        WriteTarget(console, report.Target, settings);
        if (report.Policy is { } policy)
        {
            WritePolicy(console, policy, settings);
        }

        TransportSections.WriteNegotiation(console, report.Negotiation, settings);
        if (report.Tls is { } tls)
        {
            TransportSections.WriteTls(console, tls, settings);
            CertificateSection.Write(console, tls.Certificates, settings);
            OutcomeSections.WriteValidation(console, tls.Validation, settings);
        }

        if (report.Login is { } login)
        {
            OutcomeSections.WriteLogin(console, login, settings);
        }

        if (report.Server is { } server)
        {
            if (report.Target.Dialect == MongoTextSections.Dialect)
            {
                MongoTextSections.WriteServer(console, server, settings);
            }
            else
            {
                OutcomeSections.WriteServer(console, server, settings);
            }
        }

        VerdictSection.WriteVerdict(console, report, settings);
        VerdictSection.WriteFindings(console, report.Findings, settings);
    }

    /// <summary>
    /// A section heading ruled to the layout width. Drawn here rather than with Spectre's Rule, which spans the
    /// console: off a terminal the console is unbounded (nothing wraps) but the rules stay at the layout width.
    /// </summary>
    internal static void Section(IAnsiConsole console, string title, TextSettings settings)
    {
        var line = settings.Unicode ? '─' : '-';
        var heading = new Paragraph();
        heading.Append(new string(line, 2) + " ", Styles.RuleLine);
        heading.Append(title, Styles.Heading);
        heading.Append(" " + new string(line, Math.Max(2, settings.Width - title.Length - 4)), Styles.RuleLine);
        console.WriteLine();
        console.Write(heading);
        console.WriteLine();
    }

    private static void WriteTarget(IAnsiConsole console, TargetReport target, TextSettings settings)
    {
        Section(console, "Target", settings);

        // Room for the value: the width less the indent, the widest label ("Host address") and the gap.
        var valueWidth = settings.Width - 2 - "Host address".Length - 2;
        var block = new KeyValueBlock(minimumLabelWidth: "Host address".Length)
            .Add("Dialect", target.Dialect)
            .Add("String", settings.Wrap ? LineBreaks.AtSeparators(target.ConnectionString, valueWidth) : target.ConnectionString)
            .Add("Host", target.Host)
            .Add("Host address", target.HostAddress)
            .Add("Port", target.Port > 0 ? target.Port.ToString(CultureInfo.InvariantCulture) : null)
            .Add("User", target.User)
            .Add("Database", target.Database)
            .AddLines("Sources", target.Sources);
        console.Write(block.Build());
    }

    private static void WritePolicy(IAnsiConsole console, PolicyReport policy, TextSettings settings)
    {
        Section(console, "Policy", settings);
        var block = new KeyValueBlock()
            .Add("Settings", policy.Summary)
            .Add("Encryption", policy.Encryption)
            .Add("Verification", policy.Verification)
            // With verification off no trust anchor decides anything; naming one (often "system trust store") misleads.
            .Add("Trust", policy.Verification == "none" ? null : policy.Trust)
            .Add("Host names", policy.HostNameRules)
            .Add("TLS versions", ProtocolRange(policy.MinProtocol, policy.MaxProtocol))
            .AddLines("CRL files", policy.CrlFiles)
            .AddLines("CRL dirs", policy.CrlDirectories)
            .Add("Client cert", policy.ClientCertificate ?? "none")
            .Add("SNI", policy.Sni ? "sent" : "not sent")
            .Add("ALPN", policy.Alpn.Count > 0 ? string.Join(", ", policy.Alpn) : "none");
        console.Write(block.Build());
    }

    private static string? ProtocolRange(string? min, string? max) => (min, max) switch
    {
        (null, null) => "any the client supports",
        (not null, null) => $"{min} or later",
        (null, not null) => $"up to {max}",
        _ => min == max ? min : $"{min} to {max}",
    };
}
