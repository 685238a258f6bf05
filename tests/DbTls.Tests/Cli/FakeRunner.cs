using DbTls.Cli.Dialects;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

/// <summary>
/// A dialect runner for reaching the CLI's own failure handling (exceptions from a check, reports
/// with each exit code) without a server; it records the request the CLI built.
/// </summary>
internal sealed class FakeRunner(Func<CheckRequest, CheckReport> behaviour) : IDialectRunner
{
    public CheckRequest? Request { get; private set; }

    public Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        Request = request;
        return Task.FromResult(behaviour(request));
    }

    public static FakeRunner Throwing(Exception exception) => new(_ => throw exception);

    public static FakeRunner Returning(CheckReport report) => new(_ => report);
}
