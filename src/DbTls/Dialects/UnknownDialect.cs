using DbTls.Checks;
using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Dialects;

/// <summary>A string in no format dbtls recognises: invalid input, with every format dbtls reads listed.</summary>
internal sealed class UnknownDialect : IConnectionDialect
{
    public string Name => "unknown";

    public DialectConfidence Recognise(ConnectionStringShape shape) => DialectConfidence.None;

    // Not shown: without a syntax there is no telling where a secret is.
    public string Redact(string connectionString) =>
        connectionString.Length == 0 ? "" : "(not shown: format not recognised)";

    public Task<CheckReport> CheckAsync(string connectionString, CheckEnvironment environment, CheckOptions options, CancellationToken cancellationToken) =>
        throw new DbTlsException(
            FindingCodes.ConfigInvalid,
            "The connection string is in no format dbtls recognises",
            "Give " + DialectRegistry.Formats + ".");
}
