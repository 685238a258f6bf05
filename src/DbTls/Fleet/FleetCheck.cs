using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Policy;
using DbTls.Reports;

namespace DbTls.Fleet;

/// <summary>The <see cref="TargetRunner"/> of <c>dbtls check --targets</c>: each target checked as a single check would be.</summary>
public static class FleetCheck
{
    public const string DefaultPasswordVariable = "DBTLS_PASSWORD";

    /// <summary>
    /// A runner over <paramref name="dialects"/> with <paramref name="environment"/> as every target's environment; only
    /// the password differs, read from the target's own variable or DBTLS_PASSWORD.
    /// </summary>
    public static TargetRunner Create(DialectRegistry dialects, CheckEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(dialects);
        ArgumentNullException.ThrowIfNull(environment);
        return (target, timeout, cancellationToken) =>
        {
            var dialect = target.DialectIn(dialects);
            var variable = target.PasswordVariable ?? DefaultPasswordVariable;
            var password = environment.Variables.TryGetValue(variable, out var value) && value.Length > 0 ? new Secret(value) : null;
            var targetEnvironment = environment with { Password = password ?? environment.Password, PasswordSource = variable };
            return ConnectionCheck.RunAsync(dialect, target.ConnectionString, targetEnvironment, new CheckOptions { Timeout = timeout }, cancellationToken);
        };
    }
}
