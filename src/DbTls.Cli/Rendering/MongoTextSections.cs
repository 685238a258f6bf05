using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>
/// The MongoDB server view in the text report: connectionStatus (who the server says is logged in) and
/// buildInfo's version. MongoDB has no command that reports the session's TLS parameters, so the SSL
/// rows of the PostgreSQL view would only ever say "unknown" and are left out.
/// </summary>
internal static class MongoTextSections
{
    public const string Dialect = "mongodb";

    public static void WriteServer(IAnsiConsole console, ServerReport server, TextSettings settings)
    {
        TextReportRenderer.Section(console, "Server view (connectionStatus)", settings);
        var users = server.AuthenticatedUsers switch
        {
            null => ["unknown (connectionStatus not read)"],
            { Count: 0 } => ["none"],
            var list => list,
        };
        var block = new KeyValueBlock()
            .AddLines("Logged in", users)
            .Add("Server", server.ServerVersion);
        console.Write(block.Build());
    }
}
