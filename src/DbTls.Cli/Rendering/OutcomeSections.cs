using System.Globalization;
using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>The report's sections on what the connection achieved: validation steps, login and the server's own view.</summary>
internal static class OutcomeSections
{
    public static void WriteValidation(IAnsiConsole console, List<ValidationStepReport> steps, TextSettings settings)
    {
        if (steps.Count == 0)
        {
            return;
        }

        TextReportRenderer.Section(console, "Validation", settings);
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().Padding(2, 0, 1, 0));
        grid.AddColumn(new GridColumn().NoWrap().Padding(0, 0, 2, 0));
        grid.AddColumn(new GridColumn().Padding(0, 0, 0, 0));
        var symbols = TextSymbols.For(settings);
        foreach (var step in ValidationRows.Collapse(steps))
        {
            var (symbol, style) = step.Outcome switch
            {
                "passed" => (symbols.Passed, Styles.Good),
                "failed" => (symbols.Failed, Styles.Bad),
                _ => (symbols.Skipped, Styles.Muted),
            };
            grid.AddRow(new Text(symbol, style), new Text(step.Step, style), new Text(step.Detail));
        }

        console.Write(grid);
    }

    public static void WriteLogin(IAnsiConsole console, LoginReport login, TextSettings settings)
    {
        TextReportRenderer.Section(console, "Login", settings);
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

    public static void WriteServer(IAnsiConsole console, ServerReport server, TextSettings settings)
    {
        TextReportRenderer.Section(console, "Server view", settings);
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
}
