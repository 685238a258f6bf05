using DbTls.Diagnostics;
using DbTls.Dialects.Libpq;
using DbTls.Reports;
using DbTls.Wire.Postgres;

namespace DbTls.Checks;

internal static partial class PostgresCheck
{
    /// <summary>What one check learns on its way; turned into findings and a verdict at the end.</summary>
    private sealed class CheckRun
    {
        public CheckRun(PostgresConnectionSpec spec, CheckReport report)
        {
            Spec = spec;
            Report = report;
        }

        public PostgresConnectionSpec Spec { get; }

        public CheckReport Report { get; }

        /// <summary>The login of the last attempt that sent a StartupMessage.</summary>
        public PostgresLoginResult? Login { get; set; }

        /// <summary>The last attempt reached the point of sending its StartupMessage.</summary>
        public bool StartupSent { get; set; }

        /// <summary>Why the final connection is not encrypted, when it is not.</summary>
        public string? PlaintextReason { get; set; }

        public bool OverUnixSocket { get; set; }

        /// <summary>Where the check is, for a timeout to name (libpq's own timeout message does not; TDS and MongoDB do).</summary>
        public string Phase
        {
            get;
            set
            {
                field = value;
                Progress?.Report(value);
            }
        } = "while resolving the host name";

        /// <summary>Told each <see cref="Phase"/> as the check enters it (CheckOptions.Phase).</summary>
        public IProgress<string>? Progress { get; init; }

        public PostgresSslViewResult? View { get; set; }

        public string? ViewProblem { get; set; }

        /// <summary>Warnings from the TLS handshake of the connection that was used (expiring certificate, weak protocol).</summary>
        public IReadOnlyList<Finding> TlsFindings { get; set; } = [];

        public Attempt BeginAttempt(string method)
        {
            var attempt = new AttemptReport { Method = method };
            Report.Negotiation.Attempts.Add(attempt);
            Report.Negotiation.Method = method;
            Report.Negotiation.Encrypted = false;
            return new Attempt(attempt);
        }
    }
}
