using DbTls.Diagnostics;
using DbTls.Dialects.Tds;
using DbTls.Reports;

namespace DbTls.Checks;

internal static partial class TdsCheck
{
    /// <summary>What one check learns on its way; turned into findings and a verdict at the end.</summary>
    private sealed class CheckRun(TdsConnectionSpec spec, CheckReport report) : CheckState<TdsConnectionSpec>(spec, report, "while connecting")
    {
        public Attempt? Attempt { get; set; }

        /// <summary>Whether a LOGIN7 packet left the client.</summary>
        public bool LoginSent { get; set; }

        /// <summary>Whether LOGIN7 left the client outside TLS.</summary>
        public bool LoginSentInClear { get; set; }

        public bool LoginSucceeded { get; set; }

        /// <summary>Why no LOGIN7 was sent, when the check stopped on purpose (no password, no user).</summary>
        public string? LoginSkipped { get; set; }

        public string? LoginDetail { get; set; }

        /// <summary>The TLS session of login-only encryption accepted any certificate, as SqlClient and JDBC do.</summary>
        public bool LoginOnlyUnverified { get; set; }

        /// <summary>
        /// The driver's note on an answer it met with full TLS where the reader might expect otherwise (FreeTDS
        /// with encryption = off going on with TLS against a server that requires it).
        /// </summary>
        public string? EncryptNote { get; set; }

        /// <summary>Why the connection is not (fully) encrypted, in the driver's terms.</summary>
        public string? ClearReason { get; set; }

        public string? ServerVersion { get; set; }

        public TdsServerView? View { get; set; }

        public string Stage() => $" ({Phase})";

        public void MarkFailed(Finding failure)
        {
            if (Attempt is { IsOpen: true } attempt)
            {
                attempt.Conclude(AttemptOutcome.Failed, failure.Message);
            }
        }
    }

    /// <summary>The row of <see cref="ServerViewQuery"/>.</summary>
    internal sealed record TdsServerView(string? EncryptOption, string? ProtocolType, string? AuthScheme);
}
