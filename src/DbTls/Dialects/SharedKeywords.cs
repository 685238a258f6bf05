namespace DbTls.Dialects;

/// <summary>Keywords libpq and SqlClient both accept; for these the separator after the value decides.</summary>
internal static class SharedKeywords
{
    public static bool IsShared(string key) =>
        key.Equals("user", StringComparison.OrdinalIgnoreCase) || key.Equals("password", StringComparison.OrdinalIgnoreCase);
}
