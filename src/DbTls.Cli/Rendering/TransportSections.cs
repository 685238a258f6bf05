using DbTls.Reports;
using Spectre.Console;

namespace DbTls.Cli.Rendering;

/// <summary>The report's sections on how the connection was set up: the pre-TLS negotiation and the TLS session.</summary>
internal static class TransportSections
{
    public static void WriteNegotiation(IAnsiConsole console, NegotiationReport negotiation, TextSettings settings)
    {
        if (negotiation.Attempts.Count == 0 && !negotiation.Encrypted && negotiation.Method == "none")
        {
            return;
        }

        TextReportRenderer.Section(console, "Negotiation", settings);
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

    public static void WriteTls(IAnsiConsole console, TlsReport tls, TextSettings settings)
    {
        TextReportRenderer.Section(console, "TLS", settings);
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
}
