using System.Net;
using DbTls.Diagnostics;

namespace DbTls.Dialects.Tds;

/// <summary>Rules and wording shared by the three TDS dialects.</summary>
internal static class TdsDialectRules
{
    public const int DefaultPort = 1433;

    /// <summary>The ALPN protocol identifier of TDS 8.0 strict.</summary>
    public const string Tds80Alpn = "tds/8.0";

    /// <summary>dbtls never asks the SQL Server Browser (UDP 1434) for an instance's port: it could be answered by anyone on the path.</summary>
    public static DbTlsException InstanceNeedsPort(string instance, string howToGivePort) => new(
        FindingCodes.ConfigInvalid,
        $"instance \"{instance}\" has no port: the driver would ask the SQL Server Browser service (UDP 1434) for it, which dbtls does not do; give the instance's TCP port ({howToGivePort})",
        $"Find the instance's TCP port (SQL Server Configuration Manager, or the error log line 'Server is listening on') and give it: {howToGivePort}.");

    public static DbTlsException Invalid(string message, string? remedy = null) => new(FindingCodes.ConfigInvalid, message, remedy);

    public static Finding Note(string message) => FindingCatalog.Create(FindingCodes.ConfigNote, message);

    public static bool IsIpLiteral(string host) => IPAddress.TryParse(host, out _);

    public static string Seconds(TimeSpan? value) =>
        value is null ? "none" : ((int)value.Value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + " s";
}
