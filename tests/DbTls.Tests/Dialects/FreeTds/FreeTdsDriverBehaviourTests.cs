using System.Collections.Immutable;
using DbTls.Dialects.FreeTds;
using DbTls.Dialects.Tds;
using DbTls.Tests.Dialects.SqlClient;

namespace DbTls.Tests.Dialects.FreeTds;

/// <summary>
/// The FreeTDS dialect's PRELOGIN byte and answer table against FreeTDS itself (Debian's tsql 1.3.17,
/// GnuTLS): the probe answers each ENCRYPTION value and watches what tsql does next. Among others this
/// shows that <c>encryption = off</c> goes on with TLS when the server requires it, and that FreeTDS
/// validates the certificate (when <c>ca file</c> is set) for login-only TLS too.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FreeTdsDriverBehaviourTests(ProbeCertificates certificates) : IClassFixture<ProbeCertificates>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, byte, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, byte, string>();
            foreach (var level in new[] { "off", "request", "require" })
            {
                // Beyond 0x03 (issue 9): values no FreeTDS constant names, with and without the high bits.
                foreach (var answer in new byte[] { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x41, 0x80, 0x83, 0xFF })
                {
                    cases.Add(level, answer, "none");
                }

                // An unrelated CA: TLS with validation must fail, for login-only TLS as well.
                cases.Add(level, 0x00, "unrelated");
                cases.Add(level, 0x03, "unrelated");
            }

            // The probe's own CA and a name in its certificate: validation passes.
            cases.Add("request", 0x03, "probe");
            cases.Add("require", 0x00, "probe");
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Prelogin_answer_table_matches_tsql(string encryption, byte answer, string caFile)
    {
        await using var probe = new PreloginProbeServer(certificates.Leaf.Certificate, answer);
        var ca = caFile switch
        {
            "unrelated" => "ca file = " + certificates.UnrelatedRootPem,
            "probe" => "ca file = " + certificates.RootPem,
            _ => string.Empty,
        };
        var conf = _dir.Write("freetds.conf", $"[probe]\nhost = 127.0.0.1\nport = {probe.Port}\ntds version = 7.4\nencryption = {encryption}\n{ca}\n");
        var environment = new FreeTdsEnvironment(
            ImmutableDictionary<string, string>.Empty.Add("FREETDSCONF", conf), null, [], FreeTdsTlsBackend.GnuTls);
        var spec = FreeTdsConnection.Parse("freetds:probe", "u", environment);

        var tsql = Task.Run(() => Tsql.Run(["-S", "probe", "-U", "u", "-P", "not-a-secret"], [("FREETDSCONF", conf)], TimeSpan.FromSeconds(60)));
        var result = await probe.ResultAsync(TimeSpan.FromSeconds(60));
        await probe.DisposeAsync();
        await tsql.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((byte)spec.PreloginEncryption, result.ClientEncryption);
        var rule = spec.ServerAnswers.For(answer);
        var expected = rule.Action switch
        {
            TdsAnswerAction.Plaintext => ProbeOutcome.PlaintextLogin,
            TdsAnswerAction.Fail => ProbeOutcome.Closed,
            _ => rule.VerifiesCertificate && caFile == "unrelated" ? ProbeOutcome.TlsRejected : ProbeOutcome.TlsAccepted,
        };
        Assert.Equal(expected, result.Outcome);
        // FreeTDS never sends SNI.
        Assert.Null(result.Sni);
        Assert.False(spec.Tls.SendSni);
    }
}
