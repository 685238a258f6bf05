using DbTls.Reports;

namespace DbTls.Gates;

/// <summary>One requirement a report must meet (a profile such as <c>verified</c> or <c>min-tls:1.2</c>).</summary>
public interface IGateRule
{
    /// <summary>The requirement as the user wrote it, e.g. <c>no-expiry-within:30d</c>.</summary>
    string Name { get; }

    /// <summary>Judges the report; <paramref name="now"/> is the clock for time-based rules.</summary>
    GateResult Evaluate(CheckReport report, DateTimeOffset now);
}
