using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using DbTls.Diagnostics;
using DbTls.Policy;
using DbTls.Tests.Infrastructure;
using DbTls.Tls.OpenSsl;
using DbTls.Tls.Trust;
using Xunit.Abstractions;

namespace DbTls.Tests.Tls.OpenSsl;

/// <summary>
/// The OpenSSL engine (libcrypto through [LibraryImport]) against the <c>openssl verify</c> command line as the oracle:
/// the same trust file, the same untrusted certificates in the same order, the ssl_server purpose; the first error
/// the command reports (code and depth) must be the engine's, for every server chain × trust file of the cross-signed
/// hierarchy.
/// </summary>
public sealed partial class OpenSslChainEngineTests : IClassFixture<CrossSignedHierarchyFixture>
{
    private readonly CrossSignedHierarchy _pki;
    private readonly ITestOutputHelper _output;

    public OpenSslChainEngineTests(CrossSignedHierarchyFixture fixture, ITestOutputHelper output)
    {
        _pki = fixture.Hierarchy;
        _output = output;
    }

    public static IEnumerable<object[]> Rows()
    {
        using var names = new CrossSignedHierarchy();
        return names.ServerChains.Keys.SelectMany(chain => names.TrustFiles.Keys.Select(trust => new object[] { chain, trust })).ToList();
    }

    [Fact]
    public void Libcrypto_loads_and_is_OpenSSL_3()
    {
        Assert.Null(OpenSslChainEngine.Unavailable);
        Assert.Equal("unable to get issuer certificate", OpenSslChainEngine.ErrorString(OpenSslErrors.UnableToGetIssuerCert));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Engine_verdict_equals_openssl_verify(string chain, string trust)
    {
        var trustFile = _pki.WriteTrust(trust);
        var presented = _pki.ServerChains[chain];
        var verdict = OpenSslChainEngine.Verify(presented, new OpenSslStoreSetup(new TrustSource.PemFile(trustFile), [], [], RevocationScope.FullChain), DateTimeOffset.UtcNow, out var failure);
        Assert.Null(failure);
        Assert.NotNull(verdict);

        var (error, depth) = await OpenSslVerifyAsync(trustFile, presented);
        _output.WriteLine($"{chain} | {trust}: openssl verify {error}@{depth}, engine {verdict.Error}@{verdict.Depth} ({verdict.ErrorText}); path {string.Join(" -> ", verdict.Chain.Select(c => c.GetNameInfo(X509NameType.SimpleName, false)))}");
        Assert.Equal(error, verdict.Error);
        if (error != 0)
        {
            Assert.Equal(depth, verdict.Depth);
        }
        else
        {
            // A verified path starts at the leaf the server sent and ends at a self-signed certificate of the trust file.
            Assert.Equal(presented[0].RawData, verdict.Chain[0].RawData);
            Assert.Equal(verdict.Chain[^1].SubjectName.Name, verdict.Chain[^1].IssuerName.Name);
            Assert.Contains(_pki.TrustFiles[trust], c => c.RawData.AsSpan().SequenceEqual(verdict.Chain[^1].RawData));
        }
    }

    [Fact]
    public void Cross_certificate_listed_before_its_root_is_explained_as_an_order_problem()
    {
        var (verdict, presented, trust) = Verify("L2,I2", "cross,R2");
        Assert.Equal(OpenSslErrors.UnableToGetIssuerCert, verdict.Error);
        Assert.Equal(_pki.R2ByR1.RawData, verdict.Chain[^1].RawData);

        var (message, remedy) = OpenSslExplanation.Explain(verdict, presented, trust);
        Assert.Contains("(certificate 1) before the self-signed root", message, StringComparison.Ordinal);
        Assert.Contains("never trying the root", message, StringComparison.Ordinal);
        Assert.NotNull(remedy);
        Assert.StartsWith("Remove the cross-signed certificate", remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_anchor_of_the_trust_file_is_named_as_the_files_own()
    {
        var (verdict, presented, trust) = Verify("L1,I1", "R1expired");
        Assert.Equal(OpenSslErrors.CertHasExpired, verdict.Error);
        Assert.Equal(_pki.R1Expired.RawData, verdict.Chain[verdict.Depth].RawData);

        var (message, remedy) = OpenSslExplanation.Explain(verdict, presented, trust);
        Assert.Contains("the trust anchor", message, StringComparison.Ordinal);
        Assert.Contains("not the server's", message, StringComparison.Ordinal);
        Assert.Contains("renewing the server's certificate does not help", remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void Leaf_only_chain_says_the_driver_never_fetches_intermediates()
    {
        var (verdict, presented, trust) = Verify("L2", "R2");
        Assert.Equal(OpenSslErrors.UnableToGetIssuerCertLocally, verdict.Error);
        var (message, _) = OpenSslExplanation.Explain(verdict, presented, trust);
        Assert.Contains("never fetches missing intermediates", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Crl_check_all_needs_a_crl_for_every_ca_and_a_missing_directory_loads()
    {
        var trustFile = _pki.WriteTrust("R2");
        var presented = _pki.ServerChains["L2,I2"];
        var leafCrlOnly = CertFactory.WritePem(Path.Combine(_pki.Directory, "crl-i2.pem"), _pki.I2.CreateCrlPem([]));
        var both = CertFactory.WritePem(Path.Combine(_pki.Directory, "crl-both.pem"), _pki.I2.CreateCrlPem([]) + _pki.R2.CreateCrlPem([]));
        var revoked = CertFactory.WritePem(Path.Combine(_pki.Directory, "crl-revoked.pem"), _pki.I2.CreateCrlPem([_pki.L2]) + _pki.R2.CreateCrlPem([]));
        var missingDirectory = Path.Combine(_pki.Directory, "no-such-crl-dir");

        OpenSslVerdict Run(string crl) => OpenSslChainEngine.Verify(presented,
            new OpenSslStoreSetup(new TrustSource.PemFile(trustFile), [crl], [missingDirectory], RevocationScope.FullChain), DateTimeOffset.UtcNow, out _)!;

        Assert.Equal(OpenSslErrors.UnableToGetCrl, Run(leafCrlOnly).Error);
        Assert.Equal(1, Run(leafCrlOnly).Depth); // the intermediate has no CRL from R2
        Assert.True(Run(both).Verified);
        Assert.Equal(OpenSslErrors.CertRevoked, Run(revoked).Error);
        Assert.Equal((ValidationStepsRevocation, FindingCodes.CertRevocationUnknown), OpenSslErrors.Classify(OpenSslErrors.UnableToGetCrl));
    }

    /// <summary>The engine on a named server chain and trust file, and the trust file as dbtls loads it (for explanations).</summary>
    private (OpenSslVerdict Verdict, IReadOnlyList<X509Certificate2> Presented, TrustAnchors Trust) Verify(string chain, string trust)
    {
        var trustFile = _pki.WriteTrust(trust);
        var presented = _pki.ServerChains[chain];
        var verdict = OpenSslChainEngine.Verify(presented, new OpenSslStoreSetup(new TrustSource.PemFile(trustFile), [], [], RevocationScope.FullChain), DateTimeOffset.UtcNow, out var failure);
        Assert.Null(failure);
        Assert.NotNull(verdict);
        return (verdict, presented, TrustStoreLoader.Load(new TrustSource.PemFile(trustFile)));
    }

    private const string ValidationStepsRevocation = DbTls.Tls.Verification.ValidationSteps.Revocation;

    /// <summary>openssl verify's first reported error (code, depth), or (0, 0) when it verifies.</summary>
    private async Task<(int Error, int Depth)> OpenSslVerifyAsync(string trustFile, IReadOnlyList<X509Certificate2> presented)
    {
        var leaf = CertFactory.WritePem(Path.Combine(_pki.Directory, "verify-leaf.pem"), CrossSignedHierarchy.Pem([presented[0]]));
        var untrusted = CertFactory.WritePem(Path.Combine(_pki.Directory, "verify-untrusted.pem"), CrossSignedHierarchy.Pem(presented));
        var result = await ProcessRunner.RunAsync(Infrastructure.OpenSsl.Program, ["verify", "-purpose", "sslserver", "-CAfile", trustFile, "-untrusted", untrusted, leaf], TimeSpan.FromSeconds(20));
        var first = VerifyError().Match(result.Stdout + result.Stderr);
        if (result.ExitCode == 0)
        {
            Assert.False(first.Success, result.ToString());
            return (0, 0);
        }

        Assert.True(first.Success, result.ToString());
        return (int.Parse(first.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(first.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"error (\d+) at (\d+) depth lookup")]
    private static partial Regex VerifyError();
}

/// <summary>One generated hierarchy per test class.</summary>
public sealed class CrossSignedHierarchyFixture : IDisposable
{
    public CrossSignedHierarchy Hierarchy { get; } = new();

    public void Dispose() => Hierarchy.Dispose();
}
