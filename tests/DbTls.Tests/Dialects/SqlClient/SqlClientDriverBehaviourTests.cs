using DbTls.Dialects.SqlClient;
using DbTls.Dialects.Tds;
using DbTls.Policy;
using Microsoft.Data.SqlClient;

namespace DbTls.Tests.Dialects.SqlClient;

/// <summary>
/// The SqlClient dialect's PRELOGIN byte and answer table against the real Microsoft.Data.SqlClient 7.1:
/// the probe answers each ENCRYPTION value and watches what SqlClient does next. The probe's certificate
/// chains to a root nobody trusts, so a completed TLS handshake means SqlClient did not validate.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqlClientDriverBehaviourTests(ProbeCertificates certificates) : IClassFixture<ProbeCertificates>
{
    public static TheoryData<string, byte> PreloginCases => new()
    {
        { "Encrypt=Optional", 0x00 },
        { "Encrypt=Optional", 0x01 },
        { "Encrypt=Optional", 0x02 },
        { "Encrypt=Optional", 0x03 },
        { "Encrypt=Optional", 0x83 },
        { "Encrypt=Optional", 0x05 },
        { "Encrypt=Optional;TrustServerCertificate=true", 0x00 },
        { "Encrypt=Optional;TrustServerCertificate=true", 0x03 },
        { "Encrypt=Mandatory", 0x00 },
        { "Encrypt=Mandatory", 0x01 },
        { "Encrypt=Mandatory", 0x02 },
        { "Encrypt=Mandatory", 0x03 },
        { "Encrypt=Mandatory", 0x82 },
        { "Encrypt=Mandatory;TrustServerCertificate=true", 0x00 },
        { "Encrypt=Mandatory;TrustServerCertificate=true", 0x01 },
        { "Encrypt=Mandatory;TrustServerCertificate=true", 0x02 },
        { "", 0x03 },

        // Answers outside OFF/ON/NOT_SUP/REQ (issue 9): SqlClient looks at the low six bits only.
        { "Encrypt=Optional", 0x04 },
        { "Encrypt=Optional", 0x40 },
        { "Encrypt=Optional", 0x41 },
        { "Encrypt=Optional", 0xC0 },
        { "Encrypt=Optional", 0xFF },
        { "Encrypt=Mandatory", 0x04 },
        { "Encrypt=Mandatory", 0x3F },
        { "Encrypt=Mandatory", 0x40 },
        { "Encrypt=Mandatory", 0x41 },
        { "Encrypt=Mandatory", 0x7F },
        { "Encrypt=Mandatory", 0x81 },
        { "Encrypt=Mandatory", 0xC3 },
        { "Encrypt=Mandatory", 0xFF },
    };

    [Theory]
    [MemberData(nameof(PreloginCases))]
    public async Task Prelogin_answer_table_matches_the_driver(string settings, byte answer)
    {
        await using var probe = new PreloginProbeServer(certificates.Leaf.Certificate, answer);
        var connectionString = $"Server=tcp:127.0.0.1,{probe.Port};User ID=u;Password=not-a-secret;{settings}";
        var spec = SqlClientConnectionString.Parse(connectionString);
        var result = await RunAsync(connectionString + ";Pooling=false;Connect Retry Count=0;Connect Timeout=15", probe);

        Assert.Equal((byte)spec.PreloginEncryption, result.ClientEncryption);
        Assert.Equal(Expected(spec, spec.ServerAnswers.For(answer)), result.Outcome);
    }

    [Theory]
    [InlineData("", ProbeOutcome.TlsRejected)]
    [InlineData(";TrustServerCertificate=true", ProbeOutcome.TlsRejected)]
    [InlineData(";ServerCertificate={leaf}", ProbeOutcome.TlsAccepted)]
    [InlineData(";ServerCertificate={other}", ProbeOutcome.TlsRejected)]
    [InlineData(";ServerCertificate=/nonexistent/pin.pem", ProbeOutcome.TlsRejected)]
    [InlineData(";HostNameInCertificate=other.example.com;ServerCertificate={leaf}", ProbeOutcome.TlsAccepted)]
    public async Task Strict_validates_always_and_accepts_a_matching_pin(string settings, ProbeOutcome expected)
    {
        await using var probe = new PreloginProbeServer(certificates.Leaf.Certificate, 0x00, strict: true);
        var connectionString = $"Server=tcp:localhost,{probe.Port};User ID=u;Password=not-a-secret;Encrypt=Strict"
            + settings.Replace("{leaf}", certificates.LeafPem, StringComparison.Ordinal).Replace("{other}", certificates.OtherPem, StringComparison.Ordinal);
        var spec = SqlClientConnectionString.Parse(connectionString);
        var result = await RunAsync(connectionString + ";Pooling=false;Connect Retry Count=0;Connect Timeout=15", probe);

        Assert.Equal(expected, result.Outcome);
        Assert.True(spec.TlsFirst);
        Assert.Equal(spec.Tls.SendSni ? spec.Host : null, result.Sni);
        if (result.Outcome == ProbeOutcome.TlsAccepted)
        {
            // SqlClient offered ALPN tds/8.0 (the probe offers nothing else) and sent NOT_SUP inside TLS.
            Assert.Equal(spec.Tls.Alpn.Single(), result.Alpn);
            Assert.Equal((byte)spec.PreloginEncryption, result.ClientEncryption);
        }
    }

    private static ProbeOutcome Expected(TdsConnectionSpec spec, TdsAnswerRule rule) => rule.Action switch
    {
        TdsAnswerAction.Plaintext => ProbeOutcome.PlaintextLogin,
        TdsAnswerAction.Fail => ProbeOutcome.Closed,
        _ => rule.VerifiesCertificate && spec.Tls.Verification != VerificationLevel.None ? ProbeOutcome.TlsRejected : ProbeOutcome.TlsAccepted,
    };

    private static async Task<ProbeResult> RunAsync(string connectionString, PreloginProbeServer probe)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var open = Task.Run(async () =>
        {
            await using var connection = new SqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancel.Token);
            }
            catch (Exception e) when (e is SqlException or InvalidOperationException or OperationCanceledException or IOException)
            {
                // The probe never completes a login: every attempt ends in an error.
            }
        });
        // If the driver fails before it connects, report its error rather than the probe's timeout.
        var first = await Task.WhenAny(probe.ResultAsync(TimeSpan.FromSeconds(30)), open);
        if (first == open && open.IsFaulted)
        {
            await open;
        }

        var result = await probe.ResultAsync(TimeSpan.FromSeconds(30));
        await probe.DisposeAsync();
        await open.WaitAsync(TimeSpan.FromSeconds(30));
        return result;
    }
}
