using DbTls.Cli.Rendering;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Fleet;

namespace DbTls.Cli.Commands;

/// <summary>
/// <c>dbtls check --targets FILE</c> (and a single string in ndjson, sarif or junit): read the inventory, run the fleet
/// in the library's <see cref="FleetRunner"/>, and render. NDJSON lines are written as targets finish; the other
/// formats are written at the end, in inventory order.
/// </summary>
internal static class FleetCommand
{
    public static async Task<int> RunAsync(FleetInvocation invocation, CliHost host, CancellationToken cancellationToken)
    {
        if (!TryLoadTargets(invocation, host, out var targets, out var error) || !TryResume(invocation.ResumeFile, ref targets, out var skipped, out error))
        {
            await host.Error.WriteLineAsync($"dbtls: {error}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var environment = new CheckEnvironment(host.Environment)
        {
            OsUserName = host.OsUserName,
            User = invocation.User,
            MongoDns = () => host.MongoDns(invocation.DnsServer),
            Options = invocation.Options,
        };
        var options = new FleetOptions
        {
            Concurrency = invocation.Concurrency,
            TargetTimeout = invocation.Timeout,
            Deadline = invocation.Deadline,
            Grace = host.TimeoutGrace,
            Gate = invocation.Gate,
            Time = host.Time,
            Dialects = host.Dialects,
        };
        var runner = new FleetRunner(targets, options, FleetCheck.Create(host.Dialects, environment));
        var ordered = await FleetStream.CollectAsync<FleetResult>(
            runner.RunAsync,
            () => runner.Progress,
            r => r.Target,
            invocation.Format == FleetCliOptions.Ndjson ? r => FleetJson.Line(r.Target.Name, r.Target.Group, r.Report, invocation.Gate.IsEmpty ? null : r.Gate) : null,
            invocation.Format,
            targets.Count,
            host,
            cancellationToken).ConfigureAwait(false);
        if (ordered is null)
        {
            return CheckCommand.Cancelled;
        }

        var output = invocation.Format switch
        {
            FleetCliOptions.Ndjson => null,
            FleetCliOptions.Sarif => SarifRenderer.Render(ordered, Cli.Version, invocation.TargetsFile),
            FleetCliOptions.Junit => JunitRenderer.Render(ordered),
            OutputFormats.Json => FleetJsonArray.Render(ordered, !invocation.Gate.IsEmpty),
            _ => FleetTextRenderer.Render(ordered, skipped),
        };
        if (output is not null)
        {
            await host.Out.WriteAsync(output).ConfigureAwait(false);
            await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return FleetExitCode.Of(ordered.Select(r => r.ExitCode));
    }

    private static bool TryLoadTargets(FleetInvocation invocation, CliHost host, out IReadOnlyList<FleetTarget> targets, out string error)
    {
        if (invocation.TargetsFile is not { } file)
        {
            // One string: it may carry its password, as a single check's may; it is known by its redacted form.
            var connectionString = invocation.ConnectionString ?? "";
            var single = new FleetTarget("", connectionString) { Dialect = invocation.Dialect, Line = 1 };
            targets = [single with { Name = single.DialectIn(host.Dialects).Redact(connectionString) }];
            error = "";
            return true;
        }

        if (!TryLoadInventory(file, host, out targets, out error))
        {
            return false;
        }

        if (invocation.Dialect is { } dialect)
        {
            targets = [.. targets.Select(t => t.Dialect is null ? t with { Dialect = dialect } : t)];
        }

        return true;
    }

    /// <summary>Reads and parses an inventory file; the error names the file and what is wrong.</summary>
    internal static bool TryLoadInventory(string file, CliHost host, out IReadOnlyList<FleetTarget> targets, out string error) =>
        TryLoadInventory(file, host, hostPortAllowed: false, out targets, out error);

    /// <summary>As above; a scan's inventory (<paramref name="hostPortAllowed"/>) may also list bare <c>host:port</c> targets.</summary>
    internal static bool TryLoadInventory(string file, CliHost host, bool hostPortAllowed, out IReadOnlyList<FleetTarget> targets, out string error)
    {
        targets = [];
        if (!TryRead(file, "inventory", out var text, out error))
        {
            return false;
        }

        if (!Inventory.TryParse(text, host.Dialects, hostPortAllowed, out targets, out var problem))
        {
            error = $"{file}: {problem}";
            return false;
        }

        return true;
    }

    /// <summary>Drops the targets already in the NDJSON results file <paramref name="resumeFile"/> (check or scan lines).</summary>
    internal static bool TryResume(string? resumeFile, ref IReadOnlyList<FleetTarget> targets, out int skipped, out string error)
    {
        skipped = 0;
        error = "";
        if (resumeFile is not { } file || !File.Exists(file))
        {
            // A resume file that does not exist yet is the first run of a resumable job.
            return true;
        }

        if (!TryRead(file, "results file", out var text, out error))
        {
            return false;
        }

        var done = FleetJson.ReadNames(text);
        var remaining = targets.Where(t => !done.Contains(t.Name)).ToList();
        skipped = targets.Count - remaining.Count;
        targets = remaining;
        return true;
    }

    internal static bool TryRead(string path, string what, out string text, out string error)
    {
        try
        {
            text = File.ReadAllText(path);
            error = "";
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            text = "";
            error = $"the {what} {path} cannot be read ({(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : "not readable")}).";
            return false;
        }
    }
}
