namespace DbTls.Dialects.Libpq;

/// <summary>
/// Connection service files (fe-connect.c, parseServiceInfo/parseServiceFile): <c>service=name</c>
/// or PGSERVICE picks a <c>[name]</c> section from PGSERVICEFILE or ~/.pg_service.conf, then from
/// pg_service.conf in PGSYSCONFDIR; its keyword=value lines fill what the connection string left out.
/// </summary>
internal static class ServiceFile
{
    /// <summary>Where libpq looks when PGSYSCONFDIR is unset (the Debian/Ubuntu build's SYSCONFDIR).</summary>
    private const string DefaultSysConfDir = "/etc/postgresql-common";

    // libpq reads lines with fgets into 1024 bytes and rejects one that fills the buffer with its newline.
    private const int MaxLineLength = 1022;

    public static void Apply(ConninfoOptions options, LibpqEnvironment environment, List<string> sources)
    {
        var service = options.Get(LibpqKeywords.Service);
        var fromEnvironment = false;
        if (service is null && environment.Variables.TryGetValue("PGSERVICE", out var envService))
        {
            service = envService;
            fromEnvironment = true;
        }

        if (service is null)
        {
            return;
        }

        if (fromEnvironment)
        {
            sources.Add($"PGSERVICE={service}");
        }

        var groupFound = false;
        if (environment.Variables.TryGetValue("PGSERVICEFILE", out var serviceFile))
        {
            groupFound = ReadFile(serviceFile, service, options, sources);
        }
        else if (environment.HomeDirectory is { } home)
        {
            var userFile = Path.Combine(home, ".pg_service.conf");
            if (File.Exists(userFile))
            {
                groupFound = ReadFile(userFile, service, options, sources);
            }
        }

        if (!groupFound)
        {
            var sysConfDir = environment.Variables.TryGetValue("PGSYSCONFDIR", out var dir) ? dir : DefaultSysConfDir;
            var systemFile = Path.Combine(sysConfDir, "pg_service.conf");
            if (File.Exists(systemFile))
            {
                groupFound = ReadFile(systemFile, service, options, sources);
            }
        }

        if (!groupFound)
        {
            throw LibpqErrors.Invalid(
                $"definition of service \"{service}\" not found",
                "Define the service in ~/.pg_service.conf (or the file PGSERVICEFILE names), or remove service= / PGSERVICE.");
        }
    }

    /// <summary>Reads one file; returns whether the service's section was found.</summary>
    private static bool ReadFile(string path, string service, ConninfoOptions options, List<string> sources)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LibpqErrors.Invalid($"service file \"{path}\" not found");
        }

        var groupFound = false;
        var applied = new List<string>();
        for (var number = 1; number <= lines.Length; number++)
        {
            var raw = lines[number - 1];
            if (raw.Length >= MaxLineLength)
            {
                throw LibpqErrors.Invalid($"line {number} too long in service file \"{path}\"");
            }

            var line = raw.Trim(' ', '\t', '\n', '\v', '\f', '\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                if (groupFound)
                {
                    break;
                }

                // "[name]" with anything after the bracket, as libpq's strncmp test allows.
                groupFound = line.Length >= service.Length + 2
                    && line.AsSpan(1, service.Length).SequenceEqual(service)
                    && line[service.Length + 1] == ']';
                continue;
            }

            if (!groupFound)
            {
                continue;
            }

            // libpq hands "ldap..." lines to its LDAP lookup; dbtls does no network look-ups.
            if (line.StartsWith("ldap", StringComparison.Ordinal))
            {
                throw LibpqErrors.Invalid($"LDAP lookups in service file \"{path}\", line {number} are not supported by dbtls");
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw LibpqErrors.Invalid($"syntax error in service file \"{path}\", line {number}");
            }

            var key = line[..equals];
            var value = line[(equals + 1)..];
            if (string.Equals(key, LibpqKeywords.Service, StringComparison.Ordinal))
            {
                throw LibpqErrors.Invalid($"nested service specifications not supported in service file \"{path}\", line {number}");
            }

            if (!LibpqKeywords.TryGet(key, out _))
            {
                throw LibpqErrors.Invalid($"syntax error in service file \"{path}\", line {number}");
            }

            if (options.SetIfUnset(key, value, OptionOrigin.ServiceFile))
            {
                applied.Add($"{key}={LibpqErrors.Shown(key, value)}");
            }
        }

        if (groupFound)
        {
            sources.Add(applied.Count > 0
                ? $"service \"{service}\" from {path}: {string.Join(' ', applied)}"
                : $"service \"{service}\" from {path} (nothing applied)");
        }

        return groupFound;
    }
}
