using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using DbTls.Cli.Commands;
using DbTls.Cli.Rendering;
using DbTls.Dialects;

namespace DbTls.Cli;

/// <summary>The command tree: <c>dbtls check</c>, <c>dbtls codes</c>, <c>--version</c>, <c>--help</c>.</summary>
internal sealed class CliCommands
{
    // A day is far beyond any sensible connect time; larger values are almost certainly a unit mistake.
    private const double MaxTimeoutSeconds = 86_400;

    public CliCommands(CliHost host)
    {
        ConnectionString = new Argument<string>("connection-string")
        {
            Description = "The connection string, exactly as the driver takes it, quoted as one argument: " + DialectRegistry.Formats + ".",
            Arity = ArgumentArity.ZeroOrOne,
        };
        CheckFormat = FleetCliOptions.CreateCheckFormat("json for programs (the report, docs/json-report.md)");
        CodesFormat = CreateFormatOption("json for programs (the catalogue, docs/finding-codes.md)");
        Code = new Argument<string?>("code")
        {
            Description = "Show only this finding code, e.g. tls.cert.untrusted.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Timeout = new Option<TimeSpan?>("--timeout", "-t")
        {
            Description = "Time limit in seconds for connecting, negotiating and logging in (default: the string's own limit, libpq connect_timeout or MongoDB serverSelectionTimeoutMS, else 30).",
            HelpName = "SECONDS",
            CustomParser = ParseTimeout,
        };
        User = new Option<string>("--user", "-U")
        {
            Description = "Log in as this user instead of the one in the connection string. The password can be given in DBTLS_PASSWORD.",
            HelpName = "NAME",
        };
        DnsServer = new Option<IPEndPoint?>("--dns-server")
        {
            Description = "The DNS server to ask for the SRV and TXT records of a mongodb+srv:// string, as an IP address with an optional port (default 53), e.g. 127.0.0.1:5353 or [::1]:53; default: the system's.",
            HelpName = "HOST[:PORT]",
            CustomParser = DnsServerOption.Parse,
        };
        Dialect = DialectOption.Create(host.Dialects);
        Options = OptionsOption.Create();
        SaveChain = SaveChainOption.Create();
        Verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Print diagnostics (and stack traces of internal errors) to standard error.",
        };

        Check = new Command("check", "Connect the way the driver would, show the TLS handshake and certificates, and judge the connection.")
        {
            ConnectionString,
            CheckFormat,
            Timeout,
            User,
            DnsServer,
            Dialect,
            Options,
            SaveChain,
            Verbose,

            // "dbtls check --version" asks for the version, as "dbtls --version" does; without this it would be read as a connection string.
            new VersionOption(),
        };
        Gates.AddTo(Check);
        Fleet.AddTo(Check);
        Check.Validators.Add(result =>
        {
            if ((result.GetValue(ConnectionString) is null) == (result.GetValue(Fleet.Targets) is null))
            {
                result.AddError("check takes either one connection string or --targets FILE.");
            }
        });
        Check.SetAction((parseResult, cancellationToken) => Fleet.IsFleet(parseResult, CheckFormat)
            ? FleetCommand.RunAsync(FleetInvocationOf(parseResult), host, cancellationToken)
            : CheckCommand.RunAsync(
            new CheckInvocation(
                parseResult.GetValue(ConnectionString) ?? "",
                OutputFormats.Parse(parseResult.GetValue(CheckFormat)),
                parseResult.GetValue(Timeout),
                parseResult.GetValue(User),
                parseResult.GetValue(Verbose))
            {
                DnsServer = parseResult.GetValue(DnsServer),
                Dialect = parseResult.GetValue(Dialect),
                Gate = Gates.Build(parseResult),
                Options = OptionsOption.Pairs(parseResult.GetValue(Options)),
                SaveChain = parseResult.GetValue(SaveChain),
            },
            host,
            cancellationToken));

        Codes = new Command("codes", "List every finding code (or the one given) with its severity, exit code, meaning and fix.")
        {
            Code,
            CodesFormat,
        };
        Codes.SetAction((parseResult, cancellationToken) =>
            CodesCommand.RunAsync(parseResult.GetValue(Code), OutputFormats.Parse(parseResult.GetValue(CodesFormat)), host, cancellationToken));

        Root = new RootCommand("dbtls: check that a database connection string gives the TLS protection it promises.")
        {
            Check,
            Codes,
            ReportCommand.Create(host),
            ExporterCommand.Create(host),
            ExplainCommand.Create(host),
            ConvertCommand.Create(host),
        };
        Root.Subcommands.Add(ScanCommand.Create(host));
        Cli.UseHostVersion(Root, host);
        Cli.UseHostVersion(Check, host);
    }

    public RootCommand Root { get; }

    public Command Check { get; }

    public Command Codes { get; }

    public Argument<string> ConnectionString { get; }

    public Argument<string?> Code { get; }

    public Option<string> CheckFormat { get; }

    public Option<string> CodesFormat { get; }

    public Option<TimeSpan?> Timeout { get; }

    public Option<string> User { get; }

    public Option<IPEndPoint?> DnsServer { get; }

    public Option<string?> Dialect { get; }

    public Option<string[]> Options { get; }
    public Option<string?> SaveChain { get; }

    public Option<bool> Verbose { get; }

    public GateOptions Gates { get; } = new();

    public FleetCliOptions Fleet { get; } = new();

    private FleetInvocation FleetInvocationOf(ParseResult parseResult) => new(parseResult.GetValue(CheckFormat) ?? OutputFormats.Text, Gates.Build(parseResult))
    {
        TargetsFile = parseResult.GetValue(Fleet.Targets),
        ConnectionString = parseResult.GetValue(ConnectionString),
        Dialect = parseResult.GetValue(Dialect),
        User = parseResult.GetValue(User),
        Timeout = parseResult.GetValue(Timeout),
        Concurrency = parseResult.GetValue(Fleet.Concurrency),
        Deadline = parseResult.GetValue(Fleet.Deadline),
        ResumeFile = parseResult.GetValue(Fleet.Resume),
        DnsServer = parseResult.GetValue(DnsServer),
        Options = OptionsOption.Pairs(parseResult.GetValue(Options)),
    };

    internal static Option<string> CreateFormatOption(string json)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "Output format: text for people, " + json + ".",
            HelpName = "text|json",
            DefaultValueFactory = _ => OutputFormats.Text,
        };
        option.AcceptOnlyFromAmong(OutputFormats.Text, OutputFormats.Json);
        return option;
    }

    private static TimeSpan? ParseTimeout(ArgumentResult result)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && seconds > 0 && seconds <= MaxTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        // The value is echoed only when it is plainly a mistyped number: a stray argument here may be part of a password.
        var shown = token.Length <= 12 && token.All(c => char.IsAsciiDigit(c) || c is '.' or ',' or '-' or '+' or 'e' or 'E' or 's' or 'm' or 'h' or ' ')
            ? $" (got '{token}')"
            : "";
        result.AddError($"--timeout takes a number of seconds greater than 0 and at most {MaxTimeoutSeconds:0}, e.g. --timeout 10{shown}.");
        return null;
    }
}
