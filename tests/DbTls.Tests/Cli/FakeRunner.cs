using DbTls.Cli.Dialects;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

/// <summary>
/// A dialect runner for reaching the CLI's own failure handling (exceptions from a check, reports
/// with each exit code, hangs) without a server; it records the request the CLI built.
/// </summary>
internal sealed class FakeRunner(Func<CheckRequest, CancellationToken, Task<CheckReport>> behaviour) : IDialectRunner
{
    public CheckRequest? Request { get; private set; }

    public Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        Request = request;
        return behaviour(request, cancellationToken);
    }

    public static FakeRunner Throwing(Exception exception) => new((_, _) => throw exception);

    public static FakeRunner Returning(CheckReport report) => new((_, _) => Task.FromResult(report));

    /// <summary>A check that never finishes on its own: it only ends when its token is cancelled.</summary>
    public static FakeRunner Hanging() => new(async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });
}
