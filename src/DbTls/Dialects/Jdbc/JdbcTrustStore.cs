using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using static DbTls.Dialects.Jdbc.JdbcValues;

namespace DbTls.Dialects.Jdbc;

/// <summary>The trust the driver verifies against: trustStore (a PKCS#12 file; JKS is refused), its password and type, else the system roots; unused when serverCertificate pins the certificate.</summary>
internal static class JdbcTrustStore
{
    private static readonly byte[] JksMagic = [0xFE, 0xED, 0xFE, 0xED];

    internal static TrustSource TrustStore(Dictionary<string, string> values, bool pinned, ImmutableArray<Finding>.Builder findings)
    {
        var path = Get(values, JdbcProperties.TrustStore);
        var password = Get(values, JdbcProperties.TrustStorePassword);
        var type = Get(values, JdbcProperties.TrustStoreType);
        if (!string.IsNullOrEmpty(type))
        {
            if (type.Equals("JKS", StringComparison.OrdinalIgnoreCase))
            {
                throw JksUnsupported(path);
            }

            if (!type.Equals("PKCS12", StringComparison.OrdinalIgnoreCase))
            {
                throw TdsDialectRules.Invalid($"trustStoreType=\"{type}\" is not supported: dbtls reads PKCS#12 trust stores only");
            }
        }

        if (pinned && (path is not null || password is not null))
        {
            findings.Add(TdsDialectRules.Note("trustStore/trustStorePassword are not used with encrypt=strict and serverCertificate: only the pinned certificate decides"));
        }

        if (path is null)
        {
            if (password is not null && !pinned)
            {
                findings.Add(TdsDialectRules.Note("trustStorePassword without trustStore: the driver checks the integrity of the JVM's default trust store (javax.net.ssl.trustStore, else jssecacerts/cacerts) with it; dbtls uses the system trust store instead"));
            }

            return TrustSource.System;
        }

        if (!File.Exists(path))
        {
            findings.Add(TdsDialectRules.Note($"trustStore \"{path}\" does not exist: the driver then uses an empty trust store, so no server certificate is trusted"));
        }
        else if (StartsWith(path, JksMagic))
        {
            throw JksUnsupported(path);
        }

        return new TrustSource.Pkcs12Store(path, password is null ? null : new Secret(password));
    }

    internal static DbTlsException JksUnsupported(string? path) => new(
        FindingCodes.ConfigInvalid,
        "JKS trust stores are not supported; convert with keytool -importkeystore to PKCS12",
        $"keytool -importkeystore -srckeystore {path ?? "truststore.jks"} -srcstoretype JKS -destkeystore truststore.p12 -deststoretype PKCS12, then use trustStore=truststore.p12;trustStoreType=PKCS12");

    internal static bool StartsWith(string path, byte[] magic)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(magic);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
