using DbTls.Cli.Rendering;
using DbTls.Diagnostics;

namespace DbTls.Cli.Commands;

/// <summary><c>dbtls codes</c>: the finding catalogue, for people or for programs.</summary>
internal static class CodesCommand
{
    public static async Task<int> RunAsync(OutputFormat format, CliHost host, CancellationToken cancellationToken)
    {
        var text = format == OutputFormat.Json ? CodesRenderer.RenderJson() : CodesRenderer.RenderText(TextSettings.For(host));
        await host.Out.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
