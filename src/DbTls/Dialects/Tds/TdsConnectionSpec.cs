using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Tds;

/// <summary>
/// A SQL Server connection as one of the TDS drivers (SqlClient, the JDBC driver, FreeTDS) would make
/// it: where to connect, who to log in as, what the driver sends in PRELOGIN, what it does with each
/// answer, and the dialect-free <see cref="TlsPolicy"/> its settings amount to.
/// </summary>
internal sealed record TdsConnectionSpec
{
    /// <summary><c>sqlclient</c> | <c>jdbc</c> | <c>freetds</c>.</summary>
    public required string Dialect { get; init; }

    /// <summary>The host name or IP literal to connect to; also the name certificates are checked against unless <see cref="TlsPolicy.ExpectedHostName"/> is set.</summary>
    public required string Host { get; init; }

    public int Port { get; init; } = 1433;

    /// <summary>
    /// The named instance, kept for the report and the PRELOGIN INSTOPT field. dbtls never asks the SQL
    /// Server Browser for a port, so an instance without an explicit port is rejected while parsing.
    /// Null when the driver drops the instance because a port was given (SqlClient).
    /// </summary>
    public string? Instance { get; init; }

    public string? User { get; init; }

    public Secret? Password { get; init; }

    public string? Database { get; init; }

    /// <summary>Time limit for the TCP connect alone (FreeTDS <c>connect timeout</c>); null when the driver sets none.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>
    /// Time limit for the whole connect, PRELOGIN, TLS and login (SqlClient <c>Connect Timeout</c>, JDBC
    /// <c>loginTimeout</c>); null means no limit (SqlClient <c>Connect Timeout=0</c>).
    /// </summary>
    public TimeSpan? LoginTimeout { get; init; }

    public TdsVersion Version { get; init; } = TdsVersion.Tds74;

    /// <summary>Whether TLS starts on the first byte (TDS 8.0 strict) instead of after PRELOGIN.</summary>
    public bool TlsFirst => Version == TdsVersion.Tds80;

    /// <summary>
    /// The PRELOGIN ENCRYPTION byte the driver sends. Under TDS 8.0 strict PRELOGIN travels inside TLS and
    /// all three drivers send <see cref="TdsPreloginEncryption.NotSupported"/> there, since TLS is already up.
    /// </summary>
    public required TdsPreloginEncryption PreloginEncryption { get; init; }

    /// <summary>What the driver does with each PRELOGIN ENCRYPTION answer of the server.</summary>
    public required TdsServerAnswerTable ServerAnswers { get; init; }

    /// <summary>
    /// Whether the driver accepts any certificate when the server answers ENCRYPT_OFF and only the login
    /// is encrypted (SqlClient and JDBC: yes; FreeTDS validates as for full encryption).
    /// </summary>
    public required bool LoginOnlySkipsValidation { get; init; }

    /// <summary>The TLS policy for a handshake that is validated (see <see cref="TdsAnswerRule.VerifiesCertificate"/>).</summary>
    public required TlsPolicy Tls { get; init; }

    /// <summary>The driver's own words for the settings in effect, e.g. <c>Encrypt=Mandatory; TrustServerCertificate=False</c>.</summary>
    public required string PolicySummary { get; init; }

    /// <summary>The connection string with every secret replaced by <c>********</c>.</summary>
    public required string RedactedConnectionString { get; init; }

    /// <summary>Where settings came from beyond the string itself: defaults, files, environment variables.</summary>
    public ImmutableArray<string> Sources { get; init; } = [];

    /// <summary>Findings the settings alone justify (optional encryption, no verification, legacy TLS, notes).</summary>
    public ImmutableArray<Finding> Findings { get; init; } = [];
}
