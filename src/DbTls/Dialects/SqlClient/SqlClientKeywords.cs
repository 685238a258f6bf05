using System.Collections.Frozen;

namespace DbTls.Dialects.SqlClient;

/// <summary>
/// The connection string keywords Microsoft.Data.SqlClient (on .NET, not .NET Framework) accepts, with
/// their synonyms (SqlConnectionOptions' keyword map). Lookup is by the lower-cased key; anything else
/// is rejected as SqlClient rejects it ("Keyword not supported").
/// </summary>
internal static class SqlClientKeywords
{
    public const string ApplicationIntent = "Application Intent";
    public const string ApplicationName = "Application Name";
    public const string AttachDbFilename = "AttachDbFilename";
    public const string AttestationProtocol = "Attestation Protocol";
    public const string Authentication = "Authentication";
    public const string ColumnEncryptionSetting = "Column Encryption Setting";
    public const string CommandTimeout = "Command Timeout";
    public const string ConnectRetryCount = "Connect Retry Count";
    public const string ConnectRetryInterval = "Connect Retry Interval";
    public const string ConnectTimeout = "Connect Timeout";
    public const string ContextConnection = "Context Connection";
    public const string CurrentLanguage = "Current Language";
    public const string DataSource = "Data Source";
    public const string EnclaveAttestationUrl = "Enclave Attestation Url";
    public const string Encrypt = "Encrypt";
    public const string Enlist = "Enlist";
    public const string FailoverPartner = "Failover Partner";
    public const string FailoverPartnerSpn = "Failover Partner SPN";
    public const string HostNameInCertificate = "Host Name In Certificate";
    public const string InitialCatalog = "Initial Catalog";
    public const string IntegratedSecurity = "Integrated Security";
    public const string IpAddressPreference = "IP Address Preference";
    public const string LoadBalanceTimeout = "Load Balance Timeout";
    public const string IdleTimeout = "Connection Idle Timeout";
    public const string MultipleActiveResultSets = "Multiple Active Result Sets";
    public const string MaxPoolSize = "Max Pool Size";
    public const string MinPoolSize = "Min Pool Size";
    public const string MultiSubnetFailover = "Multi Subnet Failover";
    public const string PacketSize = "Packet Size";
    public const string Password = "Password";
    public const string PersistSecurityInfo = "Persist Security Info";
    public const string Pooling = "Pooling";
    public const string PoolBlockingPeriod = "Pool Blocking Period";
    public const string Replication = "Replication";
    public const string ServerCertificate = "Server Certificate";
    public const string ServerSpn = "Server SPN";
    public const string TrustServerCertificate = "Trust Server Certificate";
    public const string TransactionBinding = "Transaction Binding";
    public const string TypeSystemVersion = "Type System Version";
    public const string UserId = "User ID";
    public const string UserInstance = "User Instance";
    public const string WorkstationId = "Workstation ID";

    private static readonly FrozenDictionary<string, string> Map = Build(
        (ApplicationIntent, ["applicationintent"]),
        (ApplicationName, ["app"]),
        (AttachDbFilename, ["extended properties", "initial file name"]),
        (AttestationProtocol, []),
        (Authentication, []),
        (ColumnEncryptionSetting, ["columnencryption"]),
        (CommandTimeout, []),
        (ConnectRetryCount, ["connectretrycount"]),
        (ConnectRetryInterval, ["connectretryinterval"]),
        (ConnectTimeout, ["connection timeout", "connecttimeout", "timeout"]),
        (ContextConnection, []),
        (CurrentLanguage, ["language"]),
        (DataSource, ["addr", "address", "network address", "server"]),
        (EnclaveAttestationUrl, []),
        (Encrypt, []),
        (Enlist, []),
        (FailoverPartner, ["failoverpartner"]),
        (FailoverPartnerSpn, ["failoverpartnerspn"]),
        (HostNameInCertificate, ["hostnameincertificate"]),
        (InitialCatalog, ["database"]),
        (IntegratedSecurity, ["trusted_connection"]),
        (IpAddressPreference, ["ipaddresspreference"]),
        (LoadBalanceTimeout, ["connection lifetime"]),
        (IdleTimeout, []),
        (MultipleActiveResultSets, ["multipleactiveresultsets"]),
        (MaxPoolSize, []),
        (MinPoolSize, []),
        (MultiSubnetFailover, ["multisubnetfailover"]),
        (PacketSize, ["packetsize"]),
        (Password, ["pwd"]),
        (PersistSecurityInfo, ["persistsecurityinfo"]),
        (Pooling, []),
        (PoolBlockingPeriod, ["poolblockingperiod"]),
        (Replication, []),
        (ServerCertificate, ["servercertificate"]),
        (ServerSpn, ["serverspn"]),
        (TrustServerCertificate, ["trustservercertificate"]),
        (TransactionBinding, []),
        (TypeSystemVersion, []),
        (UserId, ["uid", "user"]),
        (UserInstance, []),
        (WorkstationId, ["workstationid", "wsid"]));

    /// <summary>Every accepted key, lower-cased: keywords and synonyms.</summary>
    public static IEnumerable<string> AllKeys => Map.Keys;

    /// <summary>The canonical keyword for a lower-cased key, or null when SqlClient does not support it.</summary>
    public static string? Canonical(string lowerCaseKey) => Map.GetValueOrDefault(lowerCaseKey);

    private static FrozenDictionary<string, string> Build(params (string Keyword, string[] Synonyms)[] entries)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyword, synonyms) in entries)
        {
            map[keyword.ToLowerInvariant()] = keyword;
            foreach (var synonym in synonyms)
            {
                map[synonym] = keyword;
            }
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
