using System.Globalization;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Transports;
using DbTls.Wire.Tds;

namespace DbTls.Checks;

internal static partial class TdsCheck
{
    /// <summary>
    /// PRELOGIN as the driver sends it: the driver's ENCRYPTION value and instance. The server's
    /// FEDAUTHREQUIRED and NONCE answers are read and ignored, as a driver does without federated authentication.
    /// </summary>
    internal static PreLoginMessage ClientPreLogin(TdsConnectionSpec spec) =>
        TdsTransport.ClientPreLogin((PreLoginEncryption)spec.PreloginEncryption, spec.Instance);

    /// <summary>PRELOGIN through the transport, then the check all three drivers make of the answer's INSTOPT.</summary>
    private static async Task<PreLoginMessage> ExchangePreLoginAsync(Stream stream, TdsConnectionSpec spec, CancellationToken cancellationToken)
    {
        var answer = await TdsTransport.ExchangePreLoginAsync(stream, ClientPreLogin(spec), cancellationToken).ConfigureAwait(false);
        if (answer.Instance is [not 0, ..])
        {
            // SqlClient, JDBC and FreeTDS all give up here: the instance that answered is not the one asked for.
            throw new DbTlsException(FindingCodes.ServerError,
                $"the server answered PRELOGIN with INSTOPT {answer.Instance[0]}: the instance \"{spec.Instance ?? ""}\" does not match the one listening on port {spec.Port.ToString(CultureInfo.InvariantCulture)}",
                "Check the port and the instance name; the port may belong to another SQL Server instance.");
        }

        return answer;
    }

    /// <summary>A PRELOGIN ENCRYPTION value as the report shows it: OFF, ON, NOT_SUP, REQ, absent, or hex.</summary>
    internal static string EncryptionName(byte? value) => value switch
    {
        null => "absent",
        0x00 => "OFF",
        0x01 => "ON",
        0x02 => "NOT_SUP",
        0x03 => "REQ",
        _ => $"0x{value.Value:X2}",
    };

    /// <summary>
    /// The driver's rule for the server's answer. No ENCRYPTION option at all means the server cannot
    /// encrypt: MS-TDS treats it so, and SqlClient's ServerSupportsEncryption stays false; it takes the
    /// NOT_SUP row.
    /// </summary>
    internal static TdsAnswerRule RuleFor(TdsServerAnswerTable table, byte? answer) =>
        answer is { } value ? table.For(value) : table.NotSupported;

    /// <summary>Why a driver gives up on an answer, as a finding that says no credential left the client.</summary>
    private static DbTlsException Refusal(TdsConnectionSpec spec, TdsAnswerRule rule, byte? answer)
    {
        var sent = EncryptionName((byte)spec.PreloginEncryption);
        var received = EncryptionName(answer);
        var masked = answer is { } value ? value & spec.ServerAnswers.AnswerMask : (int?)null;
        var why = rule.Note is null ? "" : $": {rule.Note}";
        if (masked is null or <= 0x03)
        {
            return new DbTlsException(FindingCodes.ServerTlsUnsupported,
                $"the client sent PRELOGIN ENCRYPTION {sent} and the server answered {received}{why}; {spec.Dialect} refuses the connection here, and dbtls sent no LOGIN7 (no credential left the client)",
                "Enable encryption on the server (a certificate, Force Encryption), or find the device in the path that rewrites the PRELOGIN answer: an attacker answering NOT_SUP or OFF is the classic downgrade.");
        }

        return new DbTlsException(FindingCodes.ServerProtocolViolation,
            $"the server answered PRELOGIN ENCRYPTION {received}, which is not a value of MS-TDS{why}; dbtls sent no LOGIN7");
    }
}
