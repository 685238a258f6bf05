using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Reports;

namespace DbTls.Tests.Cli;

/// <summary>What the CLI handed to a dialect's check.</summary>
internal sealed record FakeDialectCall(string ConnectionString, CheckEnvironment Environment, CheckOptions Options);

/// <summary>
/// Stands in for libpq's check (recognising and redacting as libpq does) to reach the CLI's and the façade's
/// own failure handling (exceptions from a check, reports with each exit code, hangs) without a server; it
/// records what the CLI passed.
/// </summary>
internal sealed class FakeDialect(Func<FakeDialectCall, CancellationToken, Task<CheckReport>> behaviour) : IConnectionDialect
{
    private static readonly IConnectionDialect Libpq = DialectRegistry.Default.Dialects.Single(d => d.Name == "libpq");

    public FakeDialectCall? Call { get; private set; }

    public string Name => Libpq.Name;

    public DialectConfidence Recognise(ConnectionStringShape shape) => Libpq.Recognise(shape);

    public string Redact(string connectionString) => Libpq.Redact(connectionString);

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken)
    {
        Call = new FakeDialectCall(connectionString, environment, options);
        return behaviour(Call, cancellationToken);
    }

    public static FakeDialect Throwing(Exception exception) => new((_, _) => throw exception);

    public static FakeDialect Returning(CheckReport report) => new((_, _) => Task.FromResult(report));

    /// <summary>A check that never finishes on its own: it only ends when its token is cancelled.</summary>
    public static FakeDialect Hanging() => new(async (_, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });
}
