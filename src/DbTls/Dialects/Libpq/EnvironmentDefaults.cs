namespace DbTls.Dialects.Libpq;

/// <summary>What applying libpq's fallbacks changed beyond plain values.</summary>
internal sealed record DefaultsOutcome(bool UsedPgRequireSsl, bool SslModeStrengthenedBySystemRoots);

/// <summary>
/// libpq's conninfo_add_defaults: for every keyword still unset, the PG* environment variable
/// (when it exists at all, even empty), then PGREQUIRESSL for sslmode, then the compiled-in
/// default, and the operating-system user for <c>user</c>. Finally, when sslrootcert=system and
/// sslmode was not given anywhere, the default sslmode becomes verify-full.
/// </summary>
internal static class EnvironmentDefaults
{
    public static DefaultsOutcome Apply(ConninfoOptions options, LibpqEnvironment environment, List<string> sources)
    {
        var usedPgRequireSsl = false;
        var sslModeDefaulted = false;
        foreach (var keyword in LibpqKeywords.InOrder)
        {
            if (options.IsSet(keyword.Name))
            {
                continue;
            }

            if (keyword.EnvironmentVariable is { } variable && environment.Variables.TryGetValue(variable, out var value))
            {
                options.SetIfUnset(keyword.Name, value, OptionOrigin.Environment);
                sources.Add(keyword.IsSecret ? $"{variable}=********" : $"{variable}={value}");
                continue;
            }

            if (keyword.Name == LibpqKeywords.SslMode)
            {
                // Deprecated, but libpq still honours it below PGSSLMODE: a value starting with 1 means require.
                if (environment.Variables.TryGetValue("PGREQUIRESSL", out var requireSsl) && requireSsl.StartsWith('1'))
                {
                    options.SetIfUnset(keyword.Name, "require", OptionOrigin.Environment);
                    sources.Add($"PGREQUIRESSL={requireSsl} (sslmode=require)");
                    usedPgRequireSsl = true;
                    continue;
                }

                sslModeDefaulted = true;
            }

            if (keyword.CompiledDefault is { } compiled)
            {
                options.SetIfUnset(keyword.Name, compiled, OptionOrigin.CompiledDefault);
                continue;
            }

            if (keyword.Name == LibpqKeywords.User && environment.OsUserName is { Length: > 0 } osUser)
            {
                options.SetIfUnset(keyword.Name, osUser, OptionOrigin.CompiledDefault);
            }
        }

        var strengthened = false;
        if (sslModeDefaulted && string.Equals(options.Get(LibpqKeywords.SslRootCert), "system", StringComparison.Ordinal))
        {
            options.Replace(LibpqKeywords.SslMode, "verify-full", OptionOrigin.CompiledDefault);
            strengthened = true;
        }

        return new DefaultsOutcome(usedPgRequireSsl, strengthened);
    }
}
