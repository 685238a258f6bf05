using DbTls.Checks;
using DbTls.Dialects;
using DbTls.Policy;

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
            // The command line's --option first, the target's own after: a later keyword of the same name wins, as in PyMongo.
            var withOptions = target with { Options = [.. environment.Options, .. target.Options] };
            var dialect = withOptions.DialectIn(dialects);
            if (DialectRegistry.RefuseOptions(dialect, withOptions.Options.Count, "options give",
                "Put the setting into the connection string, or give options only to mongodb:// targets.") is { } refused)
            {
                return Task.FromResult(ConnectionCheck.Refused(dialect, target.ConnectionString, refused));
            }

            var variable = target.PasswordVariable ?? DefaultPasswordVariable;
            var password = environment.Variables.TryGetValue(variable, out var value) && value.Length > 0 ? new Secret(value) : null;
            var targetEnvironment = environment with { Password = password ?? environment.Password, PasswordSource = variable, Options = withOptions.Options };
            return ConnectionCheck.RunAsync(dialect, target.ConnectionString, targetEnvironment, new CheckOptions { Timeout = timeout }, cancellationToken);
        };
    }
}
