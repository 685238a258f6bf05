using System.CommandLine;
using DbTls.Cli.Rendering;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Reports;
using DbTls.Scan;
using DbTls.Scan.Profiles;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls scan TARGET [--protocol P] [--format text|json] [--timeout S] [--concurrency N]</c>: what TLS a server
/// accepts. The CLI only parses and renders; <see cref="TlsScanner"/> does the work.
/// </summary>
internal static class ScanCommand
{
    public static Command Create(CliHost host)
    {
        var target = new Argument<string>("target")
        {
            Description = "host:port (with --protocol, or detected), or a connection string as 'dbtls check' takes it (only its host, port and protocol are used).",
        };
        var protocol = new Option<string?>("--protocol", "-p")
        {
            Description = "How to reach TLS: " + string.Join(", ", ScanProtocols.Names) + " (default: the connection string's, else detected).",
            HelpName = string.Join("|", ScanProtocols.Names),
        };
        protocol.AcceptOnlyFromAmong(ScanProtocols.Names);
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: text for people, json for programs (docs/scan-report.md).",
            HelpName = "text|json",
            DefaultValueFactory = _ => OutputFormats.Text,
        };
        format.AcceptOnlyFromAmong(OutputFormats.Text, OutputFormats.Json, FleetCliOptions.Ndjson);
        var timeout = new Option<double>("--timeout", "-t")
        {
            Description = "Time limit in seconds for each probe connection (default 5).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 5,
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var s && (!double.IsFinite(s) || s <= 0 || s > 3600))
            {
                r.AddError("--timeout takes a number of seconds greater than 0 and at most 3600.");
            }
        });
        var concurrency = new Option<int>("--concurrency", "-c")
        {
            Description = "At most this many probe connections at once (1-32, default 6).",
            HelpName = "N",
            DefaultValueFactory = _ => 6,
        };
        concurrency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 32)
            {
                r.AddError("--concurrency takes a whole number from 1 to 32.");
            }
        });

        var profile = new Option<string?>("--profile")
        {
            Description = "Grade against a named profile (" + string.Join(", ", ScanProfiles.Names) + "); the exit code is then 0 only when the server meets it (docs/scan-report.md).",
            HelpName = "NAME",
        };
        profile.AcceptOnlyFromAmong([.. ScanProfiles.Names]);

        var signatures = new Option<bool>("--signature-algorithms")
        {
            Description = "Also scan the signature algorithms the server accepts (TLS 1.3 and the highest version below), one probe per algorithm as sslscan --show-sigs: about 60 more connections.",
        };

        var command = new Command("scan", "Scan what TLS a database server accepts: versions, cipher suites and their order, groups, certificate, and the protocol's own facts.")
        {
            target,
            protocol,
            format,
            timeout,
            concurrency,
            profile,
            signatures,
        };
        var fleet = FleetScanCommand.AddTo(command, target, format);
        command.SetAction((parse, cancellationToken) =>
        {
            ScanProtocols.TryParse(parse.GetValue(protocol), out var chosen);
            if (fleet.IsFleet(parse))
            {
                var scan = new ScanOptions { Protocol = parse.GetValue(protocol) is null ? null : chosen, ProbeTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)) };
                return fleet.RunAsync(parse, scan, parse.GetValue(concurrency), host, cancellationToken);
            }

            return RunAsync(
                parse.GetRequiredValue(target),
                parse.GetValue(protocol) is null ? null : chosen,
                OutputFormats.Parse(parse.GetValue(format)),
                new ScanOptions { ProbeTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)), Concurrency = parse.GetValue(concurrency), Profile = parse.GetValue(profile), SignatureAlgorithms = parse.GetValue(signatures), Trace = TraceWriter(host) },
                host,
                cancellationToken);
        });
        return command;
    }

    /// <summary>Standard error when <c>DBTLS_SCAN_TRACE</c> is set to anything but empty or 0 (bench/README.md); null otherwise.</summary>
    private static TextWriter? TraceWriter(CliHost host) =>
        host.Environment.TryGetValue("DBTLS_SCAN_TRACE", out var value) && value.Length > 0 && value != "0" ? host.Error : null;

    private static async Task<int> RunAsync(string target, ScanProtocol? protocol, OutputFormat format, ScanOptions options, CliHost host, CancellationToken cancellationToken)
    {
        ScanReport report;
        try
        {
            var endpoint = ScanEndpoint.Parse(target, new CheckEnvironment(host.Environment) { OsUserName = host.OsUserName });
            report = await TlsScanner.ScanAsync(endpoint.Host, endpoint.Port, options with { Protocol = protocol ?? endpoint.Protocol }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync("dbtls: cancelled").ConfigureAwait(false);
            return CheckCommand.Cancelled;
        }
        catch (DbTlsException e)
        {
            // The target could not be read or resolved: no secret is echoed, only what the parser says.
            var finding = e.ToFinding();
            report = new ScanReport
            {
                Target = ScanEndpoint.TryParseHostPort(target, out var hostPort) ? $"{hostPort.Host}:{hostPort.Port}" : "(connection string)",
                Findings = [FindingReport.From(finding)],
                ExitCode = FindingCatalog.ExitCodeFor(finding.Code),
            };
        }

        var text = format == OutputFormat.Json ? ScanJson.Serialize(report) + "\n" : ScanTextRenderer.Render(report);
        await host.Out.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }
}
