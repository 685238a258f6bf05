using DbTls.Diagnostics;
using DbTls.Reports;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Tds;

namespace DbTls.Tests.Checks.Tds;

/// <summary>
/// Every PRELOGIN ENCRYPTION value a TDS 7.x driver sends (OFF: SqlClient Optional, JDBC encrypt=false,
/// FreeTDS request; ON: SqlClient Mandatory, JDBC encrypt=true, FreeTDS require; NOT_SUP: FreeTDS off)
/// against every server answer (OFF, ON, NOT_SUP, REQ, no ENCRYPTION option). The test server answers
/// the forced value and then behaves as MS-TDS says a server does for that pair, so where a driver's
/// rule and the server's expectation part ways the connection breaks the way it would against such a
/// server. The server's byte recording shows where LOGIN7 went, and its dm_exec_connections row must
/// agree with the scope dbtls reports.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TdsCheckMatrixTests : IClassFixture<TdsTestCertificates>, IDisposable
{
    private const string Full = "full";
    private const string LoginOnly = "login-only";
    private const string None = "none";

    private readonly TdsTestCertificates _certs;
    private readonly TdsTargets _targets;

    public TdsCheckMatrixTests(TdsTestCertificates certs)
    {
        _certs = certs;
        _targets = new TdsTargets(certs);
    }

    public void Dispose() => _targets.Dispose();

    /// <summary>Setting, server answer ("absent" = no option), expected scope or failure code, and why.</summary>
    public static TheoryData<DriverSetting, string, string> Matrix => new()
    {
        // Client OFF.
        { DriverSetting.SqlClientOptional, "OFF", LoginOnly },
        { DriverSetting.SqlClientOptional, "ON", FindingCodes.ServerClosed },      // SqlClient reads ON like NOT_SUP and sends LOGIN7 in clear; the server wanted TLS
        { DriverSetting.SqlClientOptional, "NOT_SUP", None },
        { DriverSetting.SqlClientOptional, "REQ", Full },
        { DriverSetting.SqlClientOptional, "absent", None },
        { DriverSetting.JdbcFalse, "OFF", LoginOnly },
        { DriverSetting.JdbcFalse, "ON", Full },
        { DriverSetting.JdbcFalse, "NOT_SUP", None },
        { DriverSetting.JdbcFalse, "REQ", Full },
        { DriverSetting.JdbcFalse, "absent", None },
        { DriverSetting.FreeTdsRequest, "OFF", LoginOnly },
        { DriverSetting.FreeTdsRequest, "ON", Full },
        { DriverSetting.FreeTdsRequest, "NOT_SUP", None },
        { DriverSetting.FreeTdsRequest, "REQ", Full },
        { DriverSetting.FreeTdsRequest, "absent", None },

        // Client ON: anything short of encryption is refused before LOGIN7, except where the driver itself differs.
        { DriverSetting.SqlClientMandatory, "OFF", Full },                          // SqlClient encrypts everything whenever it sent ON
        { DriverSetting.SqlClientMandatory, "ON", Full },
        { DriverSetting.SqlClientMandatory, "NOT_SUP", FindingCodes.ServerTlsUnsupported },
        { DriverSetting.SqlClientMandatory, "REQ", Full },
        { DriverSetting.SqlClientMandatory, "absent", FindingCodes.ServerTlsUnsupported },
        { DriverSetting.JdbcTrue, "OFF", FindingCodes.ServerTlsUnsupported },       // the downgrade the JDBC driver refuses
        { DriverSetting.JdbcTrue, "ON", Full },
        { DriverSetting.JdbcTrue, "NOT_SUP", FindingCodes.ServerTlsUnsupported },
        { DriverSetting.JdbcTrue, "REQ", Full },
        { DriverSetting.JdbcTrue, "absent", FindingCodes.ServerTlsUnsupported },
        { DriverSetting.FreeTdsRequire, "OFF", FindingCodes.ServerProtocolViolation }, // FreeTDS encrypts only LOGIN7; this server went on encrypting
        { DriverSetting.FreeTdsRequire, "ON", Full },
        { DriverSetting.FreeTdsRequire, "NOT_SUP", FindingCodes.ServerTlsUnsupported },
        { DriverSetting.FreeTdsRequire, "REQ", Full },
        { DriverSetting.FreeTdsRequire, "absent", FindingCodes.ServerTlsUnsupported },

        // Client NOT_SUP (FreeTDS off): FreeTDS still sets up TLS for any answer but NOT_SUP. To OFF and ON MS-TDS
        // servers hang up; a forcing server's REQ is the one answer they meet with TLS (see TdsServerSession).
        { DriverSetting.FreeTdsOff, "OFF", FindingCodes.ServerClosed },
        { DriverSetting.FreeTdsOff, "ON", FindingCodes.ServerClosed },
        { DriverSetting.FreeTdsOff, "NOT_SUP", None },
        { DriverSetting.FreeTdsOff, "REQ", Full },
        { DriverSetting.FreeTdsOff, "absent", None },
    };

    private static string ClientValue(DriverSetting setting) => setting switch
    {
        DriverSetting.SqlClientOptional or DriverSetting.JdbcFalse or DriverSetting.FreeTdsRequest => "OFF",
        DriverSetting.FreeTdsOff => "NOT_SUP",
        _ => "ON",
    };

    private static bool RequiresEncryption(DriverSetting setting) => ClientValue(setting) == "ON";

    private TdsTestServerOptions ServerFor(string answer) => _certs.ServerOptions(answer switch
    {
        "absent" => new TdsTestServerOptions { OmitEncryptionOption = true },
        "OFF" => new TdsTestServerOptions { EncryptionAnswerOverride = PreLoginEncryption.Off },
        "ON" => new TdsTestServerOptions { EncryptionAnswerOverride = PreLoginEncryption.On },
        "NOT_SUP" => new TdsTestServerOptions { EncryptionAnswerOverride = PreLoginEncryption.NotSupported },
        _ => new TdsTestServerOptions { EncryptionAnswerOverride = PreLoginEncryption.Required },
    });

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Client_value_against_server_answer(DriverSetting setting, string answer, string expected)
    {
        await using var server = TdsTestServer.Start(ServerFor(answer));

        var report = await TdsCheckTests.CheckAsync(_targets.Spec(server, setting));

        var record = Assert.Single(await server.WaitForConnectionsAsync());
        var context = $"{setting} vs {answer}: {string.Join("; ", report.Findings.Select(f => $"{f.Code}: {f.Message}"))} | server: {record}";
        Assert.Equal(ClientValue(setting), report.Negotiation.EncryptionSent);
        Assert.Equal(ClientValue(setting), record.ClientPreLogin!.Encryption is { } sent ? SpecName(sent) : "absent");
        Assert.Equal(answer, report.Negotiation.EncryptionReceived);
        Assert.Equal("prelogin", report.Negotiation.Method);

        if (expected is Full or LoginOnly or None)
        {
            Assert.True(report.Verdict == Verdicts.Ok, context);
            Assert.Equal(expected, report.Negotiation.Scope);
            Assert.Equal(expected == Full, report.Negotiation.Encrypted);
            Assert.True(record.LoginSucceeded, context);
            Assert.Equal([DbTls.Checks.TdsCheck.ServerViewQuery], record.Batches);

            // The server's own view agrees with the scope dbtls reports, and both agree with what the server saw.
            Assert.Equal(expected == Full ? "TRUE" : "FALSE", report.Server!.EncryptOption);
            Assert.Equal(expected == Full, record.EncryptedAfterLogin);
            Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ServerEncryptionMismatch);
        }
        else
        {
            Assert.True(report.Findings.Any(f => f.Code == expected && f.Severity == "error"), context);
            Assert.Equal(1, report.ExitCode);
            Assert.Equal(Verdicts.Rejected, report.Verdict);
            Assert.Null(report.Server);
        }

        switch (expected)
        {
            case Full:
                Assert.True(record.LoginViaTls);
                TdsCheckTests.AssertNoCredentialsInClear(server, record);
                Assert.False(record.RawContainsUtf16(DbTls.Checks.TdsCheck.ServerViewQuery), "the query crossed the wire in clear");
                Assert.Equal("TLSv1.2", report.Tls!.Protocol);
                if (setting == DriverSetting.FreeTdsOff)
                {
                    // FreeTDS went on with TLS although encryption = off: the report says so.
                    Assert.True(record.TlsDespiteNotSupported, context);
                    Assert.Contains(report.Findings, f => f.Code == FindingCodes.ConfigNote
                        && f.Message.Contains("encryption = off, yet FreeTDS goes on with TLS", StringComparison.Ordinal));
                }
                else
                {
                    Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.ConfigNote && f.Message.Contains("goes on with TLS", StringComparison.Ordinal));
                }

                break;
            case LoginOnly:
                // LOGIN7 through TLS, then back to clear: the query is readable on the wire.
                Assert.True(record.LoginViaTls);
                TdsCheckTests.AssertNoCredentialsInClear(server, record);
                Assert.True(record.RawContainsUtf16(DbTls.Checks.TdsCheck.ServerViewQuery), "the query after a login-only handshake should travel in clear");
                Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsLoginOnly && f.Severity == "warning");
                var skipped = setting != DriverSetting.FreeTdsRequest;
                Assert.Equal(skipped, report.Tls!.Validation.Any(s => s.Step == "chain" && s.Outcome == "skipped"));
                Assert.Equal(!skipped, report.Tls.Validation.Any(s => s.Step == "chain" && s.Outcome == "passed"));
                break;
            case None:
                Assert.Null(report.Tls);
                Assert.False(record.TlsHandshakeCompleted);
                Assert.True(record.RawContainsUtf16(server.Options.User), "a plaintext login should be readable on the wire");
                Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsNotUsed && f.Message.Contains("crossed the network unencrypted", StringComparison.Ordinal));
                break;
            case FindingCodes.ServerTlsUnsupported:
                // Refused before LOGIN7: not a single LOGIN7 byte, not even through TLS.
                Assert.DoesNotContain(record.Messages, m => m.Type == TdsPacketType.Login7);
                Assert.False(record.TlsHandshakeCompleted);
                Assert.Contains("no LOGIN7", report.Findings.Single(f => f.Code == expected).Message, StringComparison.Ordinal);
                break;
        }

        if (RequiresEncryption(setting))
        {
            // Whatever the server answers, a client that required encryption never lets LOGIN7 out in clear.
            TdsCheckTests.AssertNoCredentialsInClear(server, record);
        }
    }

    private static string SpecName(PreLoginEncryption value) => value switch
    {
        PreLoginEncryption.Off => "OFF",
        PreLoginEncryption.On => "ON",
        PreLoginEncryption.NotSupported => "NOT_SUP",
        PreLoginEncryption.Required => "REQ",
        _ => "other",
    };
}
