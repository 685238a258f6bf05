using DbTls.Reports;

namespace DbTls.Cli.Dialects;

/// <summary>
/// Runs a check for one dialect: parses the string with that dialect's rules, applies the
/// command-line overrides and connects. Failures it expects are <c>DbTlsException</c>s.
/// </summary>
internal interface IDialectRunner
{
    Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken);
}
