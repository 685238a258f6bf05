using System.CommandLine;
using System.Globalization;
using System.Net;
using DbTls.Diagnostics;
using DbTls.Dialects;
using DbTls.Export;
using DbTls.Fleet;

namespace DbTls.Cli.Commands;

/// <summary><c>dbtls exporter --targets FILE --listen 127.0.0.1:9187</c>: Prometheus probes of an inventory, until Ctrl+C.</summary>
internal static class ExporterCommand
{
    public const string DefaultListen = "127.0.0.1:9187";

    public static Command Create(CliHost host)
    {
        var targets = new Option<string>("--targets")
        {
            Description = "The inventory whose targets /probe?target=NAME checks (same format as check --targets).",
            HelpName = "FILE",
            Required = true,
        };
        var listen = new Option<IPEndPoint>("--listen")
        {
            Description = $"Address and port to serve on (default {DefaultListen}).",
            HelpName = "HOST:PORT",
            DefaultValueFactory = _ => IPEndPoint.Parse(DefaultListen),
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (IPEndPoint.TryParse(token, out var endPoint) && token.Contains(':', StringComparison.Ordinal))
                {
                    return endPoint;
                }

                result.AddError("--listen takes an IP address and port, e.g. 127.0.0.1:9187 or [::1]:9187.");
                return null;
            },
        };
        var timeout = new Option<double?>("--timeout", "-t")
        {
            Description = "Time limit in seconds for each probe (default: each string's own limit, else 30).",
            HelpName = "SECONDS",
        };
        var command = new Command("exporter", "Serve Prometheus metrics: /probe?target=NAME checks one inventory target, /metrics the exporter itself.")
        {
            targets,
            listen,
            timeout,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(targets),
            parseResult.GetRequiredValue(listen),
            parseResult.GetValue(timeout) is { } seconds && seconds > 0 && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : null,
            host,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string file, IPEndPoint listen, TimeSpan? timeout, CliHost host, CancellationToken cancellationToken)
    {
        if (!FleetCommand.TryLoadInventory(file, host, out var inventory, out var error))
        {
            await host.Error.WriteLineAsync($"dbtls: {error}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var environment = new CheckEnvironment(host.Environment) { OsUserName = host.OsUserName, MongoDns = () => host.MongoDns(null) };
        await using var server = new ExporterServer(inventory, FleetCheck.Create(host.Dialects, environment), timeout);
        try
        {
            server.Start(listen);
        }
        catch (System.Net.Sockets.SocketException)
        {
            await host.Error.WriteLineAsync($"dbtls: cannot listen on {listen} (in use, or not an address of this machine).").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        await host.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"dbtls: exporter serving {inventory.Count} targets on http://{server.EndPoint}/ (Ctrl+C stops)")).ConfigureAwait(false);
        await host.Error.FlushAsync(cancellationToken).ConfigureAwait(false);
        await server.WaitAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
