using System.Net;
using System.Net.Sockets;
using DbTls.Dialects.SqlClient;
using DbTls.Policy;
using DbTls.Reports;
using DbTls.Tests.Servers.Tds;
using DbTls.Tls;
using DbTls.Wire.Tds;

namespace DbTls.Tests.EndToEnd.Tds;

/// <summary>dbtls' TLS verdict: accepted, or refused with the finding code, and the report with every validation step.</summary>
public sealed record DbTlsTlsVerdict(bool Accepted, string? Code, TlsReport Report)
{

    public string Detail(string step) => Report.Validation.Single(s => s.Step == step).Detail;

    public string Outcome(string step) => Report.Validation.Single(s => s.Step == step).Outcome;

    public override string ToString() =>
        $"{(Accepted ? "accepted" : $"refused ({Code})")}: {string.Join("; ", Report.Validation.Select(s => $"{s.Step} {s.Outcome}: {s.Detail}"))}";
}

/// <summary>
/// dbtls' TLS engine on a SqlClient connection string against the TDS test server: PRELOGIN with ENCRYPT_ON, then
/// <see cref="TlsClient"/> inside PRELOGIN packets with the policy <see cref="SqlClientConnectionString"/> makes of
/// the string. SqlClient's system trust store becomes <c>rootPemPath</c>, as SSL_CERT_FILE makes it for
/// the SqlClient child process. Always connects to 127.0.0.1, whatever name the string uses, as the child's private
/// /etc/hosts does.
/// </summary>
public static class DbTlsTdsHandshake
{
    public static async Task<DbTlsTlsVerdict> RunAsync(TdsTestServer server, string connectionString, string rootPemPath)
    {
        var spec = SqlClientConnectionString.Parse(connectionString);
        var policy = spec.Tls with { Trust = new TrustSource.PemFile(rootPemPath) };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port, cts.Token);
        var raw = tcp.GetStream();
        var prelogin = new PreLoginMessage
        {
            Version = new PreLoginVersion(1, 0, 0, 0),
            Encryption = PreLoginEncryption.On,
            Instance = PreLoginMessage.ClientInstance(""),
            ThreadId = 1,
            Mars = 0,
        };
        await TdsMessageWriter.WriteMessageAsync(raw, TdsPacketType.PreLogin, prelogin.Encode(), cts.Token);
        var response = await new TdsMessageReader(raw, PreLoginMessage.MaxLength).ReadMessageAsync(cts.Token)
            ?? throw TdsErrors.Closed("the server closed instead of answering PRELOGIN");
        Assert.Equal(PreLoginEncryption.On, PreLoginMessage.Decode(response.Payload).Encryption);

        var framing = new TdsTlsFramingStream(raw, TdsTlsFramingOptions.Client);
        try
        {
            await using var session = await TlsClient.AuthenticateAsync(framing, policy, new TlsTarget(spec.Host), cts.Token);
            return new DbTlsTlsVerdict(true, null, session.Report);
        }
        catch (TlsHandshakeException e)
        {
            return new DbTlsTlsVerdict(false, e.Code, e.Report);
        }
    }
}
