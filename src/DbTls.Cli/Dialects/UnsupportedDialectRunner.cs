using DbTls.Diagnostics;
using DbTls.Reports;

namespace DbTls.Cli.Dialects;

/// <summary>Answers a recognised but not (yet) implemented dialect with config.invalid.</summary>
internal sealed class UnsupportedDialectRunner(string message, string? remedy) : IDialectRunner
{
    private const string PlannedRemedy =
        "dbtls checks PostgreSQL (libpq strings and postgresql:// URIs), SQL Server (SqlClient strings, jdbc:sqlserver:// URLs, freetds:<name>) and MongoDB (mongodb:// and mongodb+srv://) connections; support for this format is planned.";

    public Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken) =>
        throw new DbTlsException(FindingCodes.ConfigInvalid, message, remedy ?? PlannedRemedy);
}
