using System.Net;
using System.Security.Cryptography.X509Certificates;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests;

public class CertFactoryTests
{
    [Fact]
    public void Leaf_chains_to_root_through_intermediate()
    {
        using var root = CertFactory.CreateRoot();
        using var intermediate = CertFactory.CreateIntermediate(root);
        using var leaf = CertFactory.CreateLeaf(intermediate, new CertSpec { CommonName = "db.test", DnsNames = ["db.test"], IpAddresses = [IPAddress.Loopback] });

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root.Certificate);
        chain.ChainPolicy.ExtraStore.Add(intermediate.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf.Certificate), string.Join(",", chain.ChainStatus.Select(s => s.Status)));
        Assert.Equal(3, chain.ChainElements.Count);

        chain.Reset();
        chain.ChainPolicy.ExtraStore.Clear();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root.Certificate);
        Assert.False(chain.Build(leaf.Certificate));
    }
}
