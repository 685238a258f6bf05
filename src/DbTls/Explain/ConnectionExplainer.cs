using DbTls.Diagnostics;
using DbTls.Dialects;

namespace DbTls.Explain;

/// <summary><c>dbtls explain</c>'s library side: describe the string offline, say what the policy means, and lint it.</summary>
public static class ConnectionExplainer
{
    /// <summary>Explains the string as <paramref name="dialect"/> reads it; a dialect that cannot describe itself yet is invalid input.</summary>
    public static ExplainOutcome Explain(IConnectionDialect dialect, string connectionString, CheckEnvironment environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(environment);
        if (dialect is not IDescribableDialect describable)
        {
            var finding = FindingCatalog.Create(
                FindingCodes.ConfigInvalid,
                dialect == DialectRegistry.Unknown ? "the connection string is not in a format dbtls knows" : $"dbtls cannot explain {dialect.Name} strings yet",
                "Write the string in one of these formats: " + DialectRegistry.Formats + ".");
            return new ExplainOutcome(dialect.Name, dialect.Redact(connectionString), null, finding);
        }

        ConnectionDescription description;
        try
        {
            description = describable.Describe(connectionString, environment);
        }
        catch (DbTlsException e)
        {
            return new ExplainOutcome(dialect.Name, dialect.Redact(connectionString), null, DialectRemedies.For(dialect.Name, e.ToFinding()));
        }

        var findings = description.Findings.Select(f => DialectRemedies.For(dialect.Name, f)).Concat(LintRules.Evaluate(description, time));
        var explanation = new Explanation(description, PolicyExplainer.Explain(description), [.. findings]);
        return new ExplainOutcome(dialect.Name, description.RedactedConnectionString, explanation, null);
    }
}
