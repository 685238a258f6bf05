using DbTls.Tests.Infrastructure;
using DbTls.Tests.Tls.Ocsp;

namespace DbTls.Tests.EndToEnd.Mongo;

/// <summary>The OCSP status the responder gives a server certificate of the OCSP verdict matrix.</summary>
public enum OcspCertificateCase
{
    Good,
    Revoked,

    /// <summary>Issued by the CA but absent from its database: <c>openssl ocsp</c> answers "unknown".</summary>
    Unknown,
}

/// <summary>
/// The OCSP rows' world, shared by the whole test class: the OCSP test CA (<see cref="OcspPki"/>), one
/// server certificate per <see cref="OcspCertificateCase"/> (and per stapling or not) naming the counting proxy in its AIA extension,
/// and one real <c>openssl ocsp</c> responder behind that proxy.
/// </summary>
public sealed class MongoOcspVerdictCertificates : IAsyncLifetime
{
    private readonly Dictionary<(OcspCertificateCase, bool Stapled), IssuedCert> _leaves = [];

    public MongoOcspVerdictCertificates()
    {
        Pki = new OcspPki();
        Scenario = new OcspScenario(Pki);
        // A certificate per case and per stapling server: .NET remembers per certificate whether a server context
        // staples, so a certificate served once without stapling would not be stapled by a later server.
        foreach (var stapled in new[] { false, true })
        {
            foreach (var which in Enum.GetValues<OcspCertificateCase>())
            {
                _leaves[(which, stapled)] = Scenario.Server();
            }

            Scenario.Good(_leaves[(OcspCertificateCase.Good, stapled)]);
            Scenario.Revoked(_leaves[(OcspCertificateCase.Revoked, stapled)], DateTimeOffset.UtcNow.AddDays(-2), "keyCompromise");
        }
    }

    public OcspPki Pki { get; }

    internal OcspScenario Scenario { get; }

    /// <summary>Requests that reached the responder so far (through the proxy the certificates name).</summary>
    public int ResponderRequests => Scenario.Proxy.Connections;

    public IssuedCert Server(OcspCertificateCase which, bool stapled) => _leaves[(which, stapled)];

    public async Task InitializeAsync() => await Scenario.StartResponderAsync();

    public async Task DisposeAsync()
    {
        await Scenario.DisposeAsync();
        foreach (var leaf in _leaves.Values)
        {
            leaf.Dispose();
        }

        Pki.Dispose();
    }
}
