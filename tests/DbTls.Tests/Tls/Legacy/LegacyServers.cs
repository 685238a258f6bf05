using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Legacy;

/// <summary>
/// Real OpenSSL servers limited to one legacy version. <c>@SECLEVEL=0</c> is given to the server process
/// only: Debian's OpenSSL refuses TLS 1.0/1.1 cipher suites at its default security level 2.
/// </summary>
internal static class LegacyServers
{
    public const string Tls10 = "-tls1";
    public const string Tls11 = "-tls1_1";

    /// <summary>Writes a db.test leaf under the PKI's intermediate and starts s_server with it.</summary>
    public static Task<OpenSslServer> StartAsync(TlsPki pki, string versionFlag, params string[] extra)
    {
        using var leaf = pki.DbLeaf();
        return StartAsync(pki, leaf, versionFlag, extra);
    }

    public static Task<OpenSslServer> StartAsync(TlsPki pki, IssuedCert leaf, string versionFlag, params string[] extra)
    {
        var name = Guid.NewGuid().ToString("N");
        var cert = pki.Write($"legacy/{name}.crt", leaf.CertificatePem);
        var key = CertFactory.WritePem(Path.Combine(pki.Directory, "legacy", $"{name}.key"), leaf.PrivateKeyPem, secret: true);
        string[] arguments = ["-cert", cert, "-key", key, "-cert_chain", pki.IntermediateFile, "-cipher", "DEFAULT:@SECLEVEL=0"];
        if (versionFlag.Length > 0)
        {
            arguments = [.. arguments, versionFlag];
        }

        return OpenSslServer.StartAsync([.. arguments, .. extra]);
    }
}
