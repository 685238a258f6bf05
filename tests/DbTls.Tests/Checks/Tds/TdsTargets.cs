using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Jdbc;
using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;
using DbTls.Tests.Servers.Tds;

namespace DbTls.Tests.Checks.Tds;

/// <summary>The driver settings the check is tested with, by the PRELOGIN ENCRYPTION value each one sends.</summary>
public enum DriverSetting
{
    SqlClientOptional,
    SqlClientMandatory,
    SqlClientStrict,
    JdbcFalse,
    JdbcTrue,
    JdbcStrict,
    FreeTdsOff,
    FreeTdsRequest,
    FreeTdsRequire,
    FreeTdsStrict,
}

/// <summary>
/// Connection specs for the TDS test server written in each dialect, through the real parsers: a
/// SqlClient string, a JDBC URL, or a freetds.conf in a temporary directory found through FREETDSCONF.
/// Certificates validate against the test root where the dialect can be given one (JDBC trust store,
/// FreeTDS ca file); SqlClient trusts only the system store, so its strings say TrustServerCertificate
/// unless <c>validate</c> asks otherwise.
/// </summary>
public sealed class TdsTargets : IDisposable
{
    public const string TrustStorePassword = "storepw";

    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("dbtls-tdscheck-");

    public TdsTargets(TdsTestCertificates certs)
    {
        Certs = certs;
        TrustStore = Path.Combine(_directory.FullName, "truststore.p12");
        File.WriteAllBytes(TrustStore, new X509Certificate2Collection(certs.Root.Certificate).Export(X509ContentType.Pkcs12, TrustStorePassword)!);
    }

    public TdsTestCertificates Certs { get; }

    public string TrustStore { get; }

    public string Directory => _directory.FullName;

    public static string SettingText(DriverSetting setting) => setting switch
    {
        DriverSetting.SqlClientOptional => "Encrypt=Optional",
        DriverSetting.SqlClientMandatory => "Encrypt=Mandatory",
        DriverSetting.SqlClientStrict => "Encrypt=Strict",
        DriverSetting.JdbcFalse => "encrypt=false",
        DriverSetting.JdbcTrue => "encrypt=true",
        DriverSetting.JdbcStrict => "encrypt=strict",
        DriverSetting.FreeTdsOff => "off",
        DriverSetting.FreeTdsRequest => "request",
        DriverSetting.FreeTdsRequire => "require",
        _ => "strict",
    };

    public static string DialectOf(DriverSetting setting) => setting.ToString() switch
    {
        var s when s.StartsWith("SqlClient", StringComparison.Ordinal) => "sqlclient",
        var s when s.StartsWith("Jdbc", StringComparison.Ordinal) => "jdbc",
        _ => "freetds",
    };

    /// <summary>The connection string (or freetds: target) the CLI would be given.</summary>
    public string ConnectionString(TdsTestServer server, DriverSetting setting, bool withPassword = true, bool trustServerCertificate = true, string? password = null)
    {
        var user = server.Options.User;
        var pw = password ?? server.Options.Password;
        return DialectOf(setting) switch
        {
            "sqlclient" => $"Data Source=tcp:127.0.0.1,{server.Port};User ID={user};{(withPassword ? $"Password={pw};" : "")}{SettingText(setting)};TrustServerCertificate={trustServerCertificate};Connect Timeout=10",
            "jdbc" => $"jdbc:sqlserver://127.0.0.1:{server.Port};user={user};{(withPassword ? $"password={{{pw}}};" : "")}{SettingText(setting)};trustStore={TrustStore};trustStorePassword={TrustStorePassword};hostNameInCertificate=localhost;loginTimeout=10",
            _ => "freetds:" + WriteFreeTdsConf(server, setting),
        };
    }

    /// <summary>A freetds.conf with one section for the server; returns the section name.</summary>
    public string WriteFreeTdsConf(TdsTestServer server, DriverSetting setting, string extra = "")
    {
        var name = $"tds{server.Port}";
        File.WriteAllText(FreeTdsConfPath, $"""
            [global]
                tds version = 7.4
            [{name}]
                host = 127.0.0.1
                port = {server.Port}
                encryption = {SettingText(setting)}
                ca file = {Certs.RootPemPath}
            {extra}
            """);
        return name;
    }

    public string FreeTdsConfPath => Path.Combine(_directory.FullName, "freetds.conf");

    /// <summary>The FreeTDS environment the CLI builds: FREETDSCONF and the password variable, no system file.</summary>
    internal FreeTdsEnvironment FreeTdsEnvironment(string? password) =>
        new(
            ImmutableDictionary<string, string>.Empty
                .Add("FREETDSCONF", FreeTdsConfPath)
                .AddRange(password is null ? [] : [KeyValuePair.Create(DbTls.Dialects.FreeTds.FreeTdsEnvironment.PasswordVariable, password)]),
            _directory.FullName,
            []);

    internal TdsConnectionSpec Spec(TdsTestServer server, DriverSetting setting, bool withPassword = true, bool trustServerCertificate = true, string? password = null)
    {
        var text = ConnectionString(server, setting, withPassword, trustServerCertificate, password);
        return DialectOf(setting) switch
        {
            "sqlclient" => SqlClientConnectionString.Parse(text),
            "jdbc" => JdbcConnectionString.Parse(text),
            _ => FreeTdsConnection.Parse(text, server.Options.User, FreeTdsEnvironment(withPassword ? password ?? server.Options.Password : null)),
        };
    }

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
