using DbTls.Diagnostics;

namespace DbTls.Dialects.Libpq;

/// <summary>Parses libpq conninfo strings and URIs into a <see cref="PostgresConnectionSpec"/>.</summary>
public static class LibpqConnectionString
{
    // Placeholder replaced by the libpq dialect work in this same change set.
    public static PostgresConnectionSpec Parse(string connectionString, LibpqEnvironment environment) =>
        throw new DbTlsException(FindingCodes.InternalError, "libpq parsing is not implemented yet");
}
