using DbTls.Reports;

namespace DbTls.Cli.Rendering;

/// <summary>The PRELOGIN line of the text report's negotiation section.</summary>
internal static class PreloginText
{
    /// <summary>
    /// SQL Server: the PRELOGIN ENCRYPTION values decide what the driver does, so they are shown as sent. Under
    /// TDS 8.0 strict the driver starts with TLS and PRELOGIN travels inside it, so nothing was sent in clear, and
    /// when TLS was never reached no PRELOGIN was sent at all.
    /// </summary>
    public static string For(NegotiationReport negotiation) =>
        negotiation.Method == "strict"
            ? negotiation.EncryptionReceived is { } answer
                ? $"inside TLS (strict: TLS first), ENCRYPTION sent {negotiation.EncryptionSent ?? "-"}, server answered {answer}"
                : "not sent (strict: TLS comes first and PRELOGIN travels inside it)"
            : $"ENCRYPTION sent {negotiation.EncryptionSent ?? "-"}, server answered {negotiation.EncryptionReceived ?? "nothing (no answer)"}";
}
