using DbTls.Cli.Rendering;
using DbTls.Diagnostics;

namespace DbTls.Cli.Commands;

/// <summary><c>dbtls codes [CODE]</c>: the finding catalogue, or one code of it, for people or for programs.</summary>
internal static class CodesCommand
{
    public static async Task<int> RunAsync(string? code, OutputFormat format, CliHost host, CancellationToken cancellationToken)
    {
        var entries = CodesRenderer.Entries(code);
        if (entries.Count == 0)
        {
            await host.Error.WriteLineAsync($"dbtls: no finding code \"{code}\"; 'dbtls codes' lists them all.".AsMemory(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }

        var text = format == OutputFormat.Json ? CodesRenderer.RenderJson(entries) : CodesRenderer.RenderText(entries, TextSettings.For(host));
        await host.Out.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        await host.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
