using DbTls.Diagnostics;
using DbTls.Dialects.Mongo;
using DbTls.Reports;
using DbTls.Wire.Mongo;

namespace DbTls.Checks;

internal static partial class MongoCheck
{
    /// <summary>What one check learns on its way; turned into findings and a verdict at the end.</summary>
    private sealed class CheckRun(MongoConnectionSpec spec, CheckReport report)
    {
        /// <summary>The spec; for <c>mongodb+srv://</c> replaced by the resolved one once DNS has answered.</summary>
        public MongoConnectionSpec Spec { get; set; } = spec;

        public CheckReport Report { get; } = report;

        /// <summary>The resolver of the options; when given, it also finds the addresses of named seeds (an SRV target may exist only on its DNS server).</summary>
        public IMongoDnsResolver? Dns { get; init; }

        /// <summary>Told each phase a seed's connection enters (CheckOptions.Phase).</summary>
        public IProgress<string>? Progress { get; init; }

        /// <summary>Null when the check does not log in (no user, no password, or a mechanism dbtls cannot perform).</summary>
        public MongoCredential? Credential { get; set; }

        /// <summary>Why the check does not log in, when it does not.</summary>
        public Finding? NoLogin { get; set; }

        /// <summary>Every seed that was tried and failed, in order.</summary>
        public List<HostFailure> Failures { get; } = [];

        /// <summary>The seed whose connection fully succeeded.</summary>
        public HostOutcome? Used { get; set; }
    }

    /// <summary>One seed's connection as far as it got.</summary>
    private sealed class HostOutcome(MongoHost host, Attempt attempt, IProgress<string>? progress = null)
    {
        public MongoHost Host { get; } = host;

        public Attempt Attempt { get; } = attempt;

        /// <summary>What the connection was waiting for last, for timeout messages.</summary>
        public string Stage
        {
            get;
            set
            {
                field = value;
                progress?.Report(value);
            }
        } = "no answer to the TCP connection";

        public TlsReport? Tls { get; set; }

        public IReadOnlyList<Finding> TlsFindings { get; set; } = [];

        public MongoHelloReply? Hello { get; set; }

        /// <summary>The mechanism the login used or would have used.</summary>
        public ScramMechanism? Mechanism { get; set; }

        public bool LoginAttempted { get; set; }

        public MongoAuthResult? Auth { get; set; }

        public MongoConnectionStatus? Status { get; set; }

        public string? ServerVersion { get; set; }

        public string? ViewProblem { get; set; }
    }

    /// <summary>A seed that failed: the finding it produced and the connection as far as it got.</summary>
    private sealed record HostFailure(HostOutcome Outcome, Finding Finding);
}
