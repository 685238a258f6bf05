using DbTls.Cli;

// The whole program is Cli.RunAsync; this file only binds it to the process.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C cancels the check cleanly; a second one ends the process the hard way.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};
Console.OutputEncoding = System.Text.Encoding.UTF8;
return await Cli.RunAsync(args, CliHost.FromProcess(), cancellation.Token).ConfigureAwait(false);
