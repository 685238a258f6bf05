using DbTls.Cli.Rendering;
using DbTls.Fleet;
using DbTls.Gates;
using DbTls.Reports;

namespace DbTls.Cli.Commands;

/// <summary>
/// A bad command line that asked for a CI format (<c>--format ndjson|sarif|junit</c>) still gets a valid document of
/// that format on standard output, holding one target (the redacted string, or "(command line)") refused with
/// config.invalid, so a CI system that parses the file shows the error instead of failing to read it.
/// </summary>
internal static class FleetUsageError
{
    public static bool Handles(string format) => format is FleetCliOptions.Ndjson or FleetCliOptions.Sarif or FleetCliOptions.Junit;

    public static async Task WriteAsync(CheckReport refused, string name, string format, CliHost host)
    {
        var result = new FleetResult(new FleetTarget(name, "") { Line = 1 }, refused, Gate.None.Evaluate(refused, host.Time.GetUtcNow()), TimeSpan.Zero);
        var text = format switch
        {
            FleetCliOptions.Sarif => SarifRenderer.Render([result], Cli.Version),
            FleetCliOptions.Junit => JunitRenderer.Render([result]),
            _ => FleetJson.Line(name, null, refused) + "\n",
        };
        await host.Out.WriteAsync(text).ConfigureAwait(false);
        await host.Out.FlushAsync().ConfigureAwait(false);
    }
}
