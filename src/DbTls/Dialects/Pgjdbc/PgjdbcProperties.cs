namespace DbTls.Dialects.Pgjdbc;

/// <summary>
/// The pgjdbc properties dbtls reads (PGProperty). pgjdbc matches names case-sensitively and ignores names it does
/// not know, so <c>sslMode=verify-full</c> silently leaves sslmode at its default; <see cref="CaseSlip"/> finds that.
/// </summary>
internal static class PgjdbcProperties
{
    public const string User = "user";
    public const string Password = "password";
    public const string Ssl = "ssl";
    public const string SslMode = "sslmode";
    public const string SslRootCert = "sslrootcert";
    public const string SslCert = "sslcert";
    public const string SslKey = "sslkey";
    public const string SslPassword = "sslpassword";
    public const string SslFactory = "sslfactory";
    public const string SslHostnameVerifier = "sslhostnameverifier";
    public const string SslNegotiation = "sslNegotiation";
    public const string ConnectTimeout = "connectTimeout";
    public const string ApplicationName = "ApplicationName";

    private static readonly string[] Known =
        [User, Password, Ssl, SslMode, SslRootCert, SslCert, SslKey, SslPassword, SslFactory, SslHostnameVerifier, SslNegotiation, ConnectTimeout, ApplicationName];

    /// <summary>Whether the property's value is a secret (masked in every output).</summary>
    public static bool IsSecret(string name) => name is Password or SslPassword || Redaction.MayNameSecret(name);

    /// <summary>The property a name differs from only in case (which pgjdbc therefore ignores), or null.</summary>
    public static string? CaseSlip(string name) =>
        Known.FirstOrDefault(k => k != name && k.Equals(name, StringComparison.OrdinalIgnoreCase));
}
