using DbTls.Dialects.Libpq;
using DbTls.Reports;
using DbTls.Wire.Postgres;

namespace DbTls.Checks;

internal static partial class PostgresCheck
{
    /// <summary>What one check learns on its way; turned into findings and a verdict at the end.</summary>
    private sealed class CheckRun(PostgresConnectionSpec spec, CheckReport report) : CheckState<PostgresConnectionSpec>(spec, report, "while resolving the host name")
    {
        /// <summary>The login of the last attempt that sent a StartupMessage.</summary>
        public PostgresLoginResult? Login { get; set; }

        /// <summary>The last attempt reached the point of sending its StartupMessage.</summary>
        public bool StartupSent { get; set; }

        /// <summary>Why the final connection is not encrypted, when it is not.</summary>
        public string? PlaintextReason { get; set; }

        public bool OverUnixSocket { get; set; }

        public PostgresSslViewResult? View { get; set; }

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
