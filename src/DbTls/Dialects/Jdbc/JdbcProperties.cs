using System.Collections.Frozen;

namespace DbTls.Dialects.Jdbc;

/// <summary>
/// Property names of the Microsoft JDBC Driver for SQL Server 13.x (SQLServerDriver): case-insensitive,
/// with the driver's synonyms. The driver silently drops names it does not know.
/// </summary>
internal static class JdbcProperties
{
    public const string ServerName = "serverName";
    public const string PortNumber = "portNumber";
    public const string InstanceName = "instanceName";
    public const string DatabaseName = "databaseName";
    public const string User = "user";
    public const string Password = "password";
    public const string Encrypt = "encrypt";
    public const string TrustServerCertificate = "trustServerCertificate";
    public const string HostNameInCertificate = "hostNameInCertificate";
    public const string TrustStore = "trustStore";
    public const string TrustStorePassword = "trustStorePassword";
    public const string TrustStoreType = "trustStoreType";
    public const string ServerCertificate = "serverCertificate";
    public const string SslProtocol = "sslProtocol";
    public const string LoginTimeout = "loginTimeout";
    public const string IntegratedSecurity = "integratedSecurity";
    public const string Authentication = "authentication";
    public const string AccessToken = "accessToken";
    public const string TrustManagerClass = "trustManagerClass";
    public const string ClientCertificate = "clientCertificate";
    public const string Fips = "fips";
    public const string ServerNameAsAce = "serverNameAsACE";

    // The synonyms of the released drivers (up to 13.5). The main branch adds uid, trusted_connection, app,
    // connectTimeout, columnEncryption and quotedId (August 2026); released drivers drop those names.
    private static readonly FrozenDictionary<string, string> Synonyms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["database"] = DatabaseName,
        ["userName"] = User,
        ["server"] = ServerName,
        ["domainName"] = "domain",
        ["port"] = PortNumber,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> Known = new[]
    {
        ServerName, PortNumber, InstanceName, DatabaseName, User, Password, Encrypt, TrustServerCertificate,
        HostNameInCertificate, TrustStore, TrustStorePassword, TrustStoreType, ServerCertificate, SslProtocol,
        LoginTimeout, IntegratedSecurity, Authentication, AccessToken, TrustManagerClass, ClientCertificate, Fips,
        ServerNameAsAce,
        "AADSecurePrincipalId", "AADSecurePrincipalSecret", "TransparentNetworkIPResolution", "accessTokenCallback",
        "accessTokenCallbackClass", "applicationIntent", "applicationName", "authenticationScheme",
        "bulkCopyForBatchInsertAllowEncryptedValueModifications", "bulkCopyForBatchInsertBatchSize",
        "bulkCopyForBatchInsertCheckConstraints", "bulkCopyForBatchInsertFireTriggers", "bulkCopyForBatchInsertKeepIdentity",
        "bulkCopyForBatchInsertKeepNulls", "bulkCopyForBatchInsertTableLock", "cacheBulkCopyMetadata", "calcBigDecimalPrecision",
        "cancelQueryTimeout", "clientKey", "clientKeyPassword", "columnEncryptionSetting", "concatNullYieldsNull",
        "connectRetryCount", "connectRetryInterval", "datetimeParameterType", "defaultTransactionIsolation", "delayLoadingLobs",
        "disableStatementPooling", "domain", "enablePrepareOnFirstPreparedStatementCall", "enclaveAttestationProtocol",
        "enclaveAttestationUrl", "failoverPartner", "gsscredential", "iPAddressPreference",
        "ignoreOffsetOnDateTimeOffsetConversion", "jaasConfigurationName", "keyStoreAuthentication", "keyStoreLocation",
        "keyStorePrincipalId", "keyStoreSecret", "keyVaultProviderClientId", "keyVaultProviderClientKey", "lastUpdateCount",
        "lockTimeout", "maxResultBuffer", "msiClientId", "multiSubnetFailover", "packetSize", "prepareMethod", "queryTimeout",
        "quotedIdentifier", "realm", "replication", "responseBuffering", "retryConn", "retryExec", "scopeTempTablesToConnection",
        "selectMethod", "sendStringParametersAsUnicode", "sendTemporalDataTypesAsStringForBulkCopy", "sendTimeAsDatetime",
        "serverPreparedStatementDiscardThreshold", "serverSpn", "socketFactoryClass", "socketFactoryConstructorArg",
        "socketTimeout", "statementPoolingCacheSize", "trustManagerConstructorArg", "useBulkCopyForBatchInsert",
        "useDefaultGSSCredential", "useDefaultJaasConfig", "useFmtOnly", "vectorTypeSupport", "workstationID", "xopenStates",
    }.ToFrozenDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);

    /// <summary>The properties that decide how the server's certificate is checked: a misspelling of one silently weakens TLS.</summary>
    public static readonly string[] TlsProperties =
        [Encrypt, TrustServerCertificate, HostNameInCertificate, TrustStore, TrustStorePassword, TrustStoreType, ServerCertificate, SslProtocol];

    /// <summary>The known property a misspelt name was most likely meant to be.</summary>
    public static string? Suggest(string name) => KeySuggestion.For(name, Known.Values);

    /// <summary>The driver's spelling of a property name, or null when the driver does not know it (and drops it).</summary>
    public static string? Normalize(string name) =>
        Synonyms.TryGetValue(name, out var synonym) ? synonym
        : Known.TryGetValue(name, out var known) ? known
        : null;

    /// <summary>Whether a value must be redacted: every password, secret, key and token, known or not.</summary>
    public static bool IsSecret(string name) =>
        name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase)
        || name.Equals("keyVaultProviderClientKey", StringComparison.OrdinalIgnoreCase)
        || name.Equals("pwd", StringComparison.OrdinalIgnoreCase);
}
