using DbTls.Tests.EndToEnd.Tds;

namespace DbTls.Tests.Explain;

/// <summary>
/// Runs SQL Server strings through the real drivers and through dbtls in one child process (<see cref="TdsMatrixChild"/>,
/// under <see cref="PeerChild"/>'s trusted roots): Microsoft.Data.SqlClient for <c>sqlclient</c> lines, FreeTDS's tsql
/// (Debian freetds-bin 1.3.17, GnuTLS) for <c>freetds</c> lines.
/// </summary>
internal static class TdsPeerDrivers
{
    /// <summary>A line for a SqlClient string.</summary>
    public static string SqlClientLine(string connectionString) => $"sqlclient\t{connectionString}";

    /// <summary>A line for a section of a freetds.conf, with the user and password tsql -U / -P and dbtls take beside it.</summary>
    public static string FreeTdsLine(string conf, string section, string user, string password) => $"freetds\t{conf}\t{section}\t{user}\t{password}";

    /// <summary>For each line: what the driver did and what dbtls said, both in the same child.</summary>
    public static async Task<IReadOnlyList<(PeerVerdict Driver, DbtlsVerdict Dbtls)>> RunAsync(string rootPemPath, IReadOnlyList<string> lines) =>
        [.. (await PeerChild.RunAsync(TdsMatrixChild.Command, rootPemPath, lines)).Select(Parse)];

    /// <summary><c>driver fields \t dbtls verdict \t scope \t encrypt_option \t first error code</c>, as <see cref="TdsMatrixChild"/> writes it.</summary>
    private static (PeerVerdict, DbtlsVerdict) Parse(string line)
    {
        var fields = line.TrimEnd('\r').Split('\t');
        var dbtls = fields[^4..];
        var driver = SqlClientVerdicts.Parse(string.Join('\t', fields[..^4]));
        var connected = dbtls[0] == "ok";
        return (new PeerVerdict(driver.Connected, driver.Connected ? driver.EncryptOption == "TRUE" : null, driver.Message),
            new DbtlsVerdict(connected, connected && dbtls[1] == "full", connected ? $"ok/{dbtls[1]}" : $"{dbtls[0]}/{dbtls[3]}"));
    }
}
