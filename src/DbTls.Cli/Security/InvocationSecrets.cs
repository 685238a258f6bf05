using DbTls.Cli.Dialects;

namespace DbTls.Cli.Security;

/// <summary>Collects every secret an invocation could leak: password variables and passwords inside any argument.</summary>
internal static class InvocationSecrets
{
    /// <summary>Variables that hold passwords dbtls or libpq read.</summary>
    public static readonly string[] PasswordVariables = ["DBTLS_PASSWORD", "PGPASSWORD"];

    public static SecretScrubber CreateScrubber(IReadOnlyList<string> args, CliHost host)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);
        var scrubber = new SecretScrubber();
        foreach (var name in PasswordVariables)
        {
            scrubber.Add(host.GetVariable(name));
        }

        foreach (var arg in args)
        {
            // An argument may be a whole connection string, or one pair of an unquoted one
            // (dbtls check host=x password=y): read it every way a password could be written.
            var detected = DialectDetector.Detect(arg);
            scrubber.AddRange(ConnectionStringRedactor.Redact(arg, detected).Secrets);
            scrubber.AddRange(ConnectionStringRedactor.Redact(arg, ConnectionStringDialect.Libpq).Secrets);
            scrubber.AddRange(ConnectionStringRedactor.Redact(arg, ConnectionStringDialect.SqlClient).Secrets);
        }

        return scrubber;
    }
}
