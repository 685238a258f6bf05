using DbTls.Policy;

namespace DbTls.Tls.HostNames;

/// <summary>Creates the matcher for a policy's <see cref="HostNameRules"/>.</summary>
internal static class HostNameMatchers
{
    public static IHostNameMatcher For(HostNameRules rules) => rules switch
    {
        HostNameRules.Libpq => LibpqHostNameMatcher.Instance,
        HostNameRules.Rfc6125 => Rfc6125HostNameMatcher.Instance,
        HostNameRules.SqlClient => SqlClientHostNameMatcher.Instance,
        HostNameRules.Jdbc => JdbcHostNameMatcher.Instance,
        HostNameRules.FreeTds => FreeTdsHostNameMatcher.Instance,
        HostNameRules.FreeTdsGnuTls => FreeTdsGnuTlsHostNameMatcher.Instance,
        HostNameRules.Pgjdbc => PgjdbcHostNameMatcher.Instance,
        HostNameRules.NodeTls => NodeTlsHostNameMatcher.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(rules), rules, "unknown host-name rule set"),
    };
}
