using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>
/// The human-readable report: one section per stage of the connection, then a verdict and the
/// findings with their fixes. Sections the check never reached are left out rather than shown empty.
/// </summary>
internal static class TextReportRenderer
{
    public const string Passed = "✓";
    public const string Failed = "✗";
    public const string Skipped = "–";

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
            WritePolicy(console, policy);
        }

        WriteNegotiation(console, report.Negotiation);
        if (report.Tls is { } tls)
        {
            WriteTls(console, tls);
            WriteCertificates(console, tls.Certificates, settings.Now);
            WriteValidation(console, tls.Validation);
        }

        if (report.Login is { } login)
        {
            WriteLogin(console, login);
        }

        if (report.Server is { } server)
        {
            if (report.Target.Dialect == MongoTextSections.Dialect)
            {
                MongoTextSections.WriteServer(console, server);
            }
            else
            {
                WriteServer(console, server);
            }
        }

        WriteVerdict(console, report);
        WriteFindings(console, report.Findings);
    }

    internal static void Section(IAnsiConsole console, string title)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold default]{Markup.Escape(title)}[/]") { Justification = Justify.Left, Style = Styles.RuleLine });
    }

    private static void WriteTarget(IAnsiConsole console, TargetReport target, TextSettings settings)
    {
        Section(console, "Target");

        // Room for the value: the width less the indent, the widest label ("Host address") and the gap.
        var valueWidth = settings.Width - 2 - "Host address".Length - 2;
        var block = new KeyValueBlock(minimumLabelWidth: "Host address".Length)
            .Add("Dialect", target.Dialect)
            .Add("String", LineBreaks.AtSeparators(target.ConnectionString, valueWidth))
            .Add("Host", target.Host)
            .Add("Host address", target.HostAddress)
            .Add("Port", target.Port > 0 ? target.Port.ToString(CultureInfo.InvariantCulture) : null)
            .Add("User", target.User)
            .Add("Database", target.Database)
            .AddLines("Sources", target.Sources);
        console.Write(block.Build());
    }

    private static void WritePolicy(IAnsiConsole console, PolicyReport policy)
    {
        Section(console, "Policy");
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

    private static void WriteNegotiation(IAnsiConsole console, NegotiationReport negotiation)
    {
        if (negotiation.Attempts.Count == 0 && !negotiation.Encrypted && negotiation.Method == "none")
        {
            return;
        }

        Section(console, "Negotiation");
        var encrypted = negotiation.Scope switch
        {
            "login-only" => new Text($"{negotiation.Method}, login only encrypted (everything after LOGIN7 in clear)", Styles.Warn),
            _ when negotiation.Encrypted => new Text($"{negotiation.Method}, encrypted", Styles.Good),
            _ => new Text($"{negotiation.Method}, not encrypted", Styles.Bad),
        };
        var block = new KeyValueBlock().Add("Final", encrypted);
        if (negotiation.EncryptionSent is not null || negotiation.EncryptionReceived is not null)
        {
            block.Add("PRELOGIN", PreloginText.For(negotiation));
        }

        if (negotiation.Scope is { } scope)
        {
            block.Add("TLS covers", scope switch
            {
                "full" => "the whole session",
                "login-only" => "the LOGIN7 packet only",
                "none" => "nothing",
                _ => scope,
            });
        }

        console.Write(block.Build());

        if (negotiation.Attempts.Count == 0)
        {
            return;
        }

        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().Padding(2, 0, 1, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, 2, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, 2, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, 2, 0));
        grid.AddColumn(new GridColumn().Padding(0, 0, 0, 0));
        var n = 0;
        foreach (var attempt in negotiation.Attempts)
        {
            n++;
            var outcomeStyle = attempt.Outcome switch
            {
                "ok" => Styles.Good,
                "failed" => Styles.Bad,
                _ => Styles.Warn,
            };
            grid.AddRow(
                new Text($"{n}.", Styles.Muted),
                new Text(attempt.Endpoint is { } endpoint ? $"{attempt.Method} {endpoint}" : attempt.Method),
                new Text(attempt.ServerAnswer is { } answer ? $"answer {answer}" : "", Styles.Muted),
                new Text(attempt.Outcome, outcomeStyle),
                new Text(attempt.Detail ?? ""));
        }

        console.Write(grid);
    }

    private static void WriteTls(IAnsiConsole console, TlsReport tls)
    {
        Section(console, "TLS");
        var clientCert = (tls.ClientCertificateSent, tls.ClientCertificateRequested) switch
        {
            (true, _) => "sent",
            (false, true) => "requested by the server, none sent",
            (false, false) => "not requested, none sent",
            (false, null) => "none sent",
        };
        var block = new KeyValueBlock()
            .Add("Protocol", tls.Protocol ?? "handshake not completed", tls.Protocol is null ? Styles.Bad : (Style?)null)
            .Add("Cipher suite", tls.CipherSuite)
            .Add("ALPN", tls.Alpn ?? "none")
            .Add("SNI", tls.Sni ?? "not sent")
            .Add("Client cert", clientCert);
        console.Write(block.Build());
    }

    private static void WriteCertificates(IAnsiConsole console, List<CertificateReport> certificates, DateTimeOffset now)
    {
        if (certificates.Count == 0)
        {
            return;
        }

        Section(console, "Certificate chain (as sent by the server, leaf first)");
        for (var i = 0; i < certificates.Count; i++)
        {
            var cert = certificates[i];
            var role = i == 0 ? "server" : cert.IsCertificateAuthority ? "CA" : "certificate";
            var heading = new Paragraph();
            heading.Append($"  [{i}] ", Styles.Muted);
            heading.Append(role, Styles.Heading);
            console.Write(heading);
            console.WriteLine();

            var block = new KeyValueBlock(indent: 6, minimumLabelWidth: "IP addresses".Length)
                .Add("Subject", cert.Subject)
                .Add("Issuer", cert.Issuer)
                .AddLines("DNS names", cert.DnsNames)
                .AddLines("IP addresses", cert.IpAddresses)
                .Add("Valid from", FormatTime(cert.NotBefore) + NotBeforeNote(cert.NotBefore, now), cert.NotBefore > now ? Styles.Bad : (Style?)null)
                .Add("Valid until", FormatTime(cert.NotAfter) + NotAfterNote(cert.NotAfter, now), NotAfterStyle(cert.NotAfter, now))
                .Add("Key", cert.Key)
                .Add("Signature", cert.SignatureAlgorithm)
                .Add("CA", cert.IsCertificateAuthority ? "yes" : "no")
                .Add("Serial", cert.SerialNumber)
                .Add("SHA-256", Fingerprint.Format(cert.Sha256));
            console.Write(block.Build());
        }
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string NotBeforeNote(DateTimeOffset notBefore, DateTimeOffset now) =>
        notBefore > now ? $" (not valid for another {Days(notBefore - now)})" : "";

    private static string NotAfterNote(DateTimeOffset notAfter, DateTimeOffset now) =>
        notAfter < now ? $" (expired {Days(now - notAfter)} ago)" : $" (in {Days(notAfter - now)})";

    private static Style? NotAfterStyle(DateTimeOffset notAfter, DateTimeOffset now) =>
        notAfter < now ? Styles.Bad : notAfter - now < TimeSpan.FromDays(30) ? Styles.Warn : (Style?)null;

    private static string Days(TimeSpan span)
    {
        var days = (int)Math.Floor(span.TotalDays);
        if (days >= 1)
        {
            return days == 1 ? "1 day" : $"{days} days";
        }

        var hours = (int)Math.Floor(span.TotalHours);
        return hours == 1 ? "1 hour" : $"{hours} hours";
    }

    private static void WriteValidation(IAnsiConsole console, List<ValidationStepReport> steps)
    {
        if (steps.Count == 0)
        {
            return;
        }

        Section(console, "Validation");
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().Padding(2, 0, 1, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, 2, 0));
        grid.AddColumn(new GridColumn().Padding(0, 0, 0, 0));
        foreach (var step in steps)
        {
            var (symbol, style) = step.Outcome switch
            {
                "passed" => (Passed, Styles.Good),
                "failed" => (Failed, Styles.Bad),
                _ => (Skipped, Styles.Muted),
            };
            grid.AddRow(new Text(symbol, style), new Text(step.Step, style), new Text(step.Detail));
        }

        console.Write(grid);
    }

    private static void WriteLogin(IAnsiConsole console, LoginReport login)
    {
        Section(console, "Login");
        var result = !login.Attempted ? new Text("not attempted", Styles.Muted)
            : login.Succeeded ? new Text("succeeded", Styles.Good)
            : new Text("failed", Styles.Bad);
        var block = new KeyValueBlock()
            .Add("Result", result)
            .Add("Mechanism", login.Mechanism)
            .Add("Channel binding", login.Attempted && login.Mechanism != "sql-password" ? (login.ChannelBinding ? "used" : "not used") : null)
            .Add("Detail", login.Detail);
        console.Write(block.Build());
    }

    private static void WriteServer(IAnsiConsole console, ServerReport server)
    {
        Section(console, "Server view");
        var ssl = server.Ssl switch
        {
            true => new Text("yes", Styles.Good),
            false => new Text("no", Styles.Bad),
            null => new Text("unknown", Styles.Muted),
        };
        var block = new KeyValueBlock()
            .Add("SSL", ssl)
            .Add("Protocol", server.Version)
            .Add("Cipher", server.Cipher)
            .Add("Bits", server.Bits?.ToString(CultureInfo.InvariantCulture))
            .Add("Client DN", server.ClientDn)
            .Add("Encrypt option", server.EncryptOption)
            .Add("Protocol type", server.ProtocolType)
            .Add("Auth scheme", server.AuthScheme)
            .Add("Server", server.ServerVersion);
        console.Write(block.Build());
    }

    private static void WriteVerdict(IAnsiConsole console, CheckReport report)
    {
        var (symbol, title) = report.Verdict switch
        {
            Verdicts.Ok => (Passed, "OK"),
            Verdicts.Rejected => (Failed, "REJECTED"),
            _ => (Failed, "FAILED"),
        };
        var explanation = report.Summary;
        var style = Styles.ForVerdict(report.Verdict);
        var content = new Paragraph();
        content.Append($"{symbol} {title}", new Style(style.Foreground, decoration: Decoration.Bold));
        content.Append($"  {explanation} (exit code {report.ExitCode.ToString(CultureInfo.InvariantCulture)})");

        // The policy can hold while the connection is barely protected (sslmode=require, Encrypt=False): say how
        // protected the connection that was made really is, and how many warnings qualify it, on the first screen.
        if (report.Verdict == Verdicts.Ok || report.Protection != ProtectionLevels.None)
        {
            var warnings = report.Findings.Count(f => f.Severity == FindingReport.SeverityName(Severity.Warning));
            var counted = warnings switch { 0 => "", 1 => ", 1 warning", _ => $", {warnings.ToString(CultureInfo.InvariantCulture)} warnings" };
            content.Append($"\n  protection: {ProtectionLevels.Describe(report)}{counted}");
        }

        console.WriteLine();
        console.Write(new Panel(content)
        {
            Header = new PanelHeader(" Verdict "),
            Border = BoxBorder.Heavy,
            BorderStyle = style,
            Expand = true,
        });
    }

    private static void WriteFindings(IAnsiConsole console, List<FindingReport> findings)
    {
        Section(console, "Findings");
        if (findings.Count == 0)
        {
            console.Write(new Padder(new Text("None.", Styles.Muted), new Padding(2, 0, 0, 0)));
            return;
        }

        // Most severe first; the order within a severity is the order the check found them in.
        var ordered = findings.Select((f, i) => (f, i)).OrderBy(x => SeverityRank(x.f.Severity)).ThenBy(x => x.i).Select(x => x.f);
        var first = true;
        foreach (var finding in ordered)
        {
            if (!first)
            {
                console.WriteLine();
            }

            first = false;
            var severityStyle = Styles.ForSeverity(finding.Severity);
            var heading = new Paragraph();
            heading.Append($"  {SeveritySymbol(finding.Severity)} {finding.Severity}", severityStyle);
            heading.Append("  ");
            heading.Append(finding.Code, Styles.Heading);
            console.Write(heading);
            console.WriteLine();
            console.Write(new Padder(new Text(finding.Message), new Padding(4, 0, 0, 0)));

            var fix = new Paragraph();
            fix.Append("Fix: ", Styles.Heading);
            fix.Append(finding.Remedy);
            console.Write(new Padder(fix, new Padding(4, 0, 0, 0)));
        }
    }

    private static int SeverityRank(string severity) => severity switch
    {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };

    private static string SeveritySymbol(string severity) => severity switch
    {
        "error" => Failed,
        "warning" => "!",
        _ => "i",
    };
}
