using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls;

/// <summary>
/// Offline CRL checking through real handshakes, each case cross-checked with
/// <c>openssl verify -crl_check[_all]</c> on the same files (libpq sets CRL_CHECK | CRL_CHECK_ALL).
/// </summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public class TlsRevocationTests(TlsPki pki)
{
    private async Task<Connection> ConnectAsync(IssuedCert leaf, RevocationScope scope, params string[] crlFiles)
    {
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        var policy = pki.RootPolicy() with { Revocation = new RevocationPolicy { CrlFiles = [.. crlFiles], Scope = scope } };
        return await Connection.OpenAsync(server.EndPoint, policy, "db.test");
    }

    private string Crl(IssuedCert issuer, IEnumerable<IssuedCert> revoked, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null) =>
        pki.Write($"crl-{Guid.NewGuid():N}.pem", issuer.CreateCrlPem(revoked, thisUpdate, nextUpdate));

    private (int Exit, string Output) OpenSslVerify(IssuedCert leaf, bool all, params string[] crlFiles)
    {
        var leafFile = pki.Write($"leaf-{Guid.NewGuid():N}.pem", leaf.CertificatePem);
        var args = new List<string> { "verify", all ? "-crl_check_all" : "-crl_check", "-CAfile", pki.RootFile, "-untrusted", pki.IntermediateFile };
        foreach (var crl in crlFiles)
        {
            args.AddRange(["-CRLfile", crl]);
        }

        args.Add(leafFile);
        return OpenSslCli.Run([.. args]);
    }

    [Fact]
    public async Task Good_leaf_with_a_crl_for_every_certificate_passes()
    {
        using var leaf = pki.DbLeaf();
        string[] crls = [Crl(pki.Intermediate, []), Crl(pki.Root, [])];
        await using var connection = await ConnectAsync(leaf, RevocationScope.FullChain, crls);

        Assert.NotNull(connection.Session);
        var detail = connection.Detail(ValidationSteps.Revocation);
        Assert.Contains("every certificate in the chain (CRL_CHECK_ALL)", detail, StringComparison.Ordinal);
        Assert.Equal(3, detail.Split("not revoked").Length - 1); // leaf, intermediate, and the root itself
        Assert.Equal(0, OpenSslVerify(leaf, all: true, crls).Exit);
    }

    [Fact]
    public async Task Revoked_leaf_is_rejected_naming_certificate_and_date()
    {
        using var leaf = pki.DbLeaf();
        string[] crls = [Crl(pki.Intermediate, [leaf]), Crl(pki.Root, [])];
        await using var connection = await ConnectAsync(leaf, RevocationScope.FullChain, crls);

        var error = connection.Failed;
        Assert.Equal(FindingCodes.CertRevoked, error.Code);
        Assert.Contains($"certificate revoked: \"CN=db.test, O=dbtls tests\" (serial {leaf.Certificate.SerialNumber}) was revoked on ", error.Message, StringComparison.Ordinal);
        Assert.Contains("reason keyCompromise", error.Message, StringComparison.Ordinal);
        Assert.Contains("certificate revoked", OpenSslVerify(leaf, all: true, crls).Output, StringComparison.Ordinal);

        await using var leafOnly = await ConnectAsync(leaf, RevocationScope.LeafOnly, crls);
        Assert.Equal(FindingCodes.CertRevoked, leafOnly.Failed.Code);
    }

    [Fact]
    public async Task Missing_crl_for_a_chain_member_fails_full_chain_but_not_leaf_only()
    {
        using var leaf = pki.DbLeaf();
        var intermediateCrl = Crl(pki.Intermediate, []); // covers the leaf; nothing covers the intermediate

        await using var full = await ConnectAsync(leaf, RevocationScope.FullChain, intermediateCrl);
        Assert.Equal(FindingCodes.CertRevocationUnknown, full.Failed.Code);
        Assert.Contains("unable to get certificate CRL for \"CN=dbtls Test Intermediate CA, O=dbtls tests\": no CRL issued by \"CN=dbtls Test Root CA, O=dbtls tests\"", full.Failed.Message, StringComparison.Ordinal);
        var openssl = OpenSslVerify(leaf, all: true, intermediateCrl);
        Assert.NotEqual(0, openssl.Exit);
        Assert.Contains("error 3 at 1 depth lookup: unable to get certificate CRL", openssl.Output, StringComparison.Ordinal);

        await using var leafOnly = await ConnectAsync(leaf, RevocationScope.LeafOnly, intermediateCrl);
        Assert.NotNull(leafOnly.Session);
        Assert.Contains("the server certificate only", leafOnly.Detail(ValidationSteps.Revocation), StringComparison.Ordinal);
        Assert.Equal(0, OpenSslVerify(leaf, all: false, intermediateCrl).Exit);
    }

    [Fact]
    public async Task Crl_covering_only_the_intermediate_fails_a_good_leaf()
    {
        using var leaf = pki.DbLeaf();
        var rootCrl = Crl(pki.Root, []); // issued by the root: covers the intermediate (and the root), not the leaf

        await using var full = await ConnectAsync(leaf, RevocationScope.FullChain, rootCrl);
        Assert.Equal(FindingCodes.CertRevocationUnknown, full.Failed.Code);
        Assert.Contains("unable to get certificate CRL for \"CN=db.test, O=dbtls tests\"", full.Failed.Message, StringComparison.Ordinal);
        Assert.Contains("error 3 at 0 depth lookup: unable to get certificate CRL", OpenSslVerify(leaf, all: true, rootCrl).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_listed_in_its_own_crl_is_revoked_under_full_chain_like_openssl_3()
    {
        using var leaf = pki.DbLeaf();
        string[] crls = [Crl(pki.Intermediate, []), Crl(pki.Root, [pki.Root])];

        await using var full = await ConnectAsync(leaf, RevocationScope.FullChain, crls);
        Assert.Equal(FindingCodes.CertRevoked, full.Failed.Code);
        Assert.Contains("\"CN=dbtls Test Root CA, O=dbtls tests\"", full.Failed.Message, StringComparison.Ordinal);
        Assert.Contains("error 23 at 2 depth lookup: certificate revoked", OpenSslVerify(leaf, all: true, crls).Output, StringComparison.Ordinal);

        await using var leafOnly = await ConnectAsync(leaf, RevocationScope.LeafOnly, crls);
        Assert.NotNull(leafOnly.Session);
    }

    [Fact]
    public async Task Expired_crl_cannot_be_used()
    {
        using var leaf = pki.DbLeaf();
        var now = DateTimeOffset.UtcNow;
        string[] crls = [Crl(pki.Intermediate, [], now.AddDays(-10), now.AddDays(-1)), Crl(pki.Root, [])];

        await using var connection = await ConnectAsync(leaf, RevocationScope.FullChain, crls);
        Assert.Equal(FindingCodes.CertRevocationUnknown, connection.Failed.Code);
        Assert.Contains("CRL has expired (nextUpdate ", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Contains("CRL has expired", OpenSslVerify(leaf, all: true, crls).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crl_not_yet_valid_cannot_be_used()
    {
        using var leaf = pki.DbLeaf();
        var now = DateTimeOffset.UtcNow;
        string[] crls = [Crl(pki.Intermediate, [], now.AddDays(1), now.AddDays(8)), Crl(pki.Root, [])];

        await using var connection = await ConnectAsync(leaf, RevocationScope.LeafOnly, crls);
        Assert.Contains("CRL is not yet valid", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Contains("CRL is not yet valid", OpenSslVerify(leaf, all: true, crls).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crl_from_another_ca_with_the_same_name_does_not_count()
    {
        // Same issuer name, different key: its authority key identifier does not match, so OpenSSL
        // does not consider it a CRL for this certificate at all.
        using var leaf = pki.DbLeaf();
        using var impostor = CertFactory.Issue(new CertSpec { CommonName = "dbtls Test Intermediate CA", IsCertificateAuthority = true }, null);
        string[] crls = [Crl(impostor, []), Crl(pki.Root, [])];

        await using var connection = await ConnectAsync(leaf, RevocationScope.FullChain, crls);
        Assert.Equal(FindingCodes.CertRevocationUnknown, connection.Failed.Code);
        Assert.Contains("unable to get certificate CRL for \"CN=db.test, O=dbtls tests\"", connection.Failed.Message, StringComparison.Ordinal);
        var openssl = OpenSslVerify(leaf, all: true, crls).Output;
        Assert.True(openssl.Contains("error 3 at 0 depth lookup: unable to get certificate CRL", StringComparison.Ordinal), openssl);
    }

    [Fact]
    public async Task Crl_with_a_broken_signature_is_rejected()
    {
        using var leaf = pki.DbLeaf();
        var der = pki.Intermediate.CreateCrl([]);
        der[^1] ^= 0x01; // the last byte belongs to the signature
        string[] crls = [pki.Write($"tampered-{Guid.NewGuid():N}.crl", der), Crl(pki.Root, [])];

        await using var connection = await ConnectAsync(leaf, RevocationScope.FullChain, crls);
        Assert.Equal(FindingCodes.CertRevocationUnknown, connection.Failed.Code);
        Assert.Contains("CRL signature failure", connection.Failed.Message, StringComparison.Ordinal);

        var pemCrls = new[] { pki.Write($"tampered-{Guid.NewGuid():N}.pem", new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", der)) + "\n"), crls[1] };
        var openssl = OpenSslVerify(leaf, all: true, pemCrls).Output;
        Assert.True(openssl.Contains("CRL signature failure", StringComparison.Ordinal), openssl);
    }

    [Fact]
    public async Task Crl_directory_with_pem_and_der_files()
    {
        using var leaf = pki.DbLeaf();
        var directory = Path.Combine(pki.Directory, $"crldir-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "intermediate.crl"), pki.Intermediate.CreateCrl([leaf]));   // DER
        File.WriteAllText(Path.Combine(directory, "root.r0"), pki.Root.CreateCrlPem([]));                       // PEM
        File.WriteAllText(Path.Combine(directory, "README"), "not a CRL");

        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        var policy = pki.RootPolicy() with { Revocation = new RevocationPolicy { CrlDirectories = [directory] } };
        await using var connection = await Connection.OpenAsync(server.EndPoint, policy, "db.test");

        Assert.Equal(FindingCodes.CertRevoked, connection.Failed.Code);
        Assert.Contains("skipped " + Path.Combine(directory, "README"), connection.Detail(ValidationSteps.Revocation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_crl_file_is_a_configuration_error_before_the_handshake()
    {
        using var leaf = pki.DbLeaf();
        var bad = pki.Write($"bad-{Guid.NewGuid():N}.crl", "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        var policy = pki.RootPolicy() with { Revocation = new RevocationPolicy { CrlFiles = [bad] } };
        await using var connection = await Connection.OpenAsync(server.EndPoint, policy, "db.test");

        Assert.Equal(FindingCodes.ConfigInvalid, connection.Failed.Code);
        Assert.Contains($"could not read CRL file \"{bad}\"", connection.Failed.Message, StringComparison.Ordinal);
        Assert.Empty(connection.Report.Certificates);
        Assert.False(server.ClientHelloSeen);
    }
}
