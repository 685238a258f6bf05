namespace DbTls.Dialects.Tds;

/// <summary>The description the three SQL Server dialects share once their string is parsed.</summary>
internal static class TdsDescription
{
    public static ConnectionDescription Of(TdsConnectionSpec spec, IEnumerable<string> writtenKeywords) => new()
    {
        Dialect = spec.Dialect,
        Protocol = ConnectionProtocol.Tds,
        RedactedConnectionString = spec.RedactedConnectionString,
        Hosts = [spec.Host],
        Port = spec.Port,
        Instance = spec.Instance,
        User = spec.User,
        Database = spec.Database,
        HasPassword = spec.Password is not null,
        Password = spec.Password,
        Tls = spec.Tls,
        PreloginEncryption = spec.PreloginEncryption,
        ServerAnswers = spec.ServerAnswers,
        LoginOnlySkipsValidation = spec.LoginOnlySkipsValidation,
        PolicySummary = spec.PolicySummary,
        WrittenKeywords = [.. writtenKeywords.Select(k => k.ToLowerInvariant()).Distinct(StringComparer.Ordinal)],
        RepeatedKeywords = ConnectionDescription.Repeated(writtenKeywords),
        Sources = spec.Sources,
        Findings = spec.Findings,
    };
}
