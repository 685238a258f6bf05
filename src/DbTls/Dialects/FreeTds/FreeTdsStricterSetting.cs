namespace DbTls.Dialects.FreeTds;

internal sealed partial class FreeTdsDialect : IStricterVerification
{
    /// <remarks>The settings live in the freetds.conf section, not in the <c>freetds:NAME</c> target, so no string is rewritten.</remarks>
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "encryption = require with a ca file (and check certificate hostname = yes)",
        "Fix the certificate (or the host name), then in the server's freetds.conf section set `encryption = require`, `ca file = /path/to/ca.pem` (or `system`) and `check certificate hostname = yes`, so that FreeTDS verifies it.",
        null);
}
