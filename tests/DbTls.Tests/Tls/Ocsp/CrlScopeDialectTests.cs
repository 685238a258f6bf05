using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Dialects.Mongo;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.Verification;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// The same CRL file read by two dialects through real handshakes: PyMongo's tlsCRLFile
/// (VERIFY_CRL_CHECK_LEAF: only the server's own certificate) and libpq's sslcrl (CRL_CHECK_ALL:
/// every certificate of the chain).
/// </summary>
[Trait("Category", "Integration")]
[Collection("tls")]
public class CrlScopeDialectTests(TlsPki pki)
{
    private async Task<(Connection Mongo, Connection Libpq)> ConnectBothAsync(IssuedCert leaf, string crlFile)
    {
        var mongo = MongoConnectionString.Parse($"mongodb://db.test/?tls=true&tlsCAFile={Uri.EscapeDataString(pki.RootFile)}&tlsCRLFile={Uri.EscapeDataString(crlFile)}").Tls;
        var libpq = LibpqConnectionString.Parse($"host=db.test user=u dbname=d sslmode=verify-full sslrootcert={pki.RootFile} sslcrl={crlFile}", LibpqEnvironment.Empty).Tls;
        Assert.Equal(RevocationScope.LeafOnly, mongo.Revocation.Scope);
        Assert.Equal(RevocationScope.FullChain, libpq.Revocation.Scope);

        await using var server = TestTlsServer.Start(new TestServerOptions { Certificate = leaf.Certificate, Chain = [pki.Intermediate.Certificate] });
        var mongoConnection = await Connection.OpenAsync(server.EndPoint, mongo, "db.test");
        var libpqConnection = await Connection.OpenAsync(server.EndPoint, libpq, "db.test");
        return (mongoConnection, libpqConnection);
    }

    [Fact]
    public async Task Crl_for_the_leaf_only_satisfies_pymongo_but_not_libpq()
    {
        using var leaf = pki.DbLeaf();
        var crl = pki.Write($"leaf-crl-{Guid.NewGuid():N}.pem", pki.Intermediate.CreateCrlPem([]));

        var (mongo, libpq) = await ConnectBothAsync(leaf, crl);
        await using var _m = mongo;
        await using var _l = libpq;

        Assert.Equal(ValidationSteps.Passed, mongo.Step(ValidationSteps.Revocation));
        Assert.Contains("the server certificate only", mongo.Detail(ValidationSteps.Revocation), StringComparison.Ordinal);
        Assert.Equal(FindingCodes.CertRevocationUnknown, libpq.Failed.Code);
    }

    [Fact]
    public async Task Revoked_intermediate_is_invisible_to_pymongo_but_rejected_by_libpq()
    {
        using var leaf = pki.DbLeaf();
        var crl = pki.Write($"both-{Guid.NewGuid():N}.pem", pki.Intermediate.CreateCrlPem([]) + pki.Root.CreateCrlPem([pki.Intermediate]));

        var (mongo, libpq) = await ConnectBothAsync(leaf, crl);
        await using var _m = mongo;
        await using var _l = libpq;

        Assert.NotNull(mongo.Ok);
        Assert.Equal(FindingCodes.CertRevoked, libpq.Failed.Code);
        Assert.Contains("dbtls Test Intermediate CA", libpq.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_leaf_is_rejected_by_both()
    {
        using var leaf = pki.DbLeaf();
        var crl = pki.Write($"revoked-{Guid.NewGuid():N}.pem", pki.Intermediate.CreateCrlPem([leaf]) + pki.Root.CreateCrlPem([]));

        var (mongo, libpq) = await ConnectBothAsync(leaf, crl);
        await using var _m = mongo;
        await using var _l = libpq;

        Assert.Equal(FindingCodes.CertRevoked, mongo.Failed.Code);
        Assert.Equal(FindingCodes.CertRevoked, libpq.Failed.Code);
    }
}
