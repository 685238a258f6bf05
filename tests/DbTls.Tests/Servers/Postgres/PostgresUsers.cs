namespace DbTls.Tests.Servers.Postgres;

/// <summary>
/// The roles every <see cref="PostgresServer"/> creates, each matched by one pg_hba.conf rule
/// (see <see cref="PostgresServer.HbaConf"/>). Passwords are distinctive so a test can assert they
/// never show up in any output.
/// </summary>
public static class PostgresUsers
{
    public const string Database = "postgres";

    /// <summary>Bootstrap superuser; scram-sha-256 over the Unix socket and TCP (with or without TLS).</summary>
    public const string Superuser = "postgres";
    public const string SuperuserPassword = "Super-Pw-0c41e7d2";

    /// <summary>hostssl … scram-sha-256 (password stored as SCRAM).</summary>
    public const string Scram = "dbtls_scram";
    public const string ScramPassword = "Scram-Pw-7f3a9c15";

    /// <summary>hostssl … md5 (password stored as MD5, so the server really asks for MD5).</summary>
    public const string Md5 = "dbtls_md5";
    public const string Md5Password = "Md5-Pw-2b8e61d0";

    /// <summary>hostssl … password (cleartext password inside TLS).</summary>
    public const string Password = "dbtls_password";
    public const string PasswordPassword = "Clear-Pw-94c0a3fe";

    /// <summary>hostssl … cert clientcert=verify-full: needs a client certificate with CN=dbtls_cert from the client CA; has no password.</summary>
    public const string Cert = "dbtls_cert";

    /// <summary>hostnossl … scram-sha-256 and hostssl … reject: only plaintext connections get in.</summary>
    public const string Plain = "dbtls_plain";
    public const string PlainPassword = "Plain-Pw-5d7718ab";

    /// <summary>host … scram-sha-256: allowed with and without TLS.</summary>
    public const string Any = "dbtls_any";
    public const string AnyPassword = "Any-Pw-e13f0b62";

    /// <summary>Every password above, for tests that assert none of them leaks.</summary>
    public static IReadOnlyList<string> AllPasswords { get; } =
        [SuperuserPassword, ScramPassword, Md5Password, PasswordPassword, PlainPassword, AnyPassword];
}
