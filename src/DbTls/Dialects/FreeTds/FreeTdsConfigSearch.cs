using System.Text;

namespace DbTls.Dialects.FreeTds;

/// <summary>One freetds.conf FreeTDS tries, and why.</summary>
/// <param name="Path">The path as FreeTDS builds it.</param>
/// <param name="Display">The path with the home directory shown as <c>~</c>.</param>
/// <param name="Reason">Why FreeTDS looks there, e.g. <c>FREETDSCONF=/x/y</c>.</param>
internal sealed record FreeTdsCandidate(string Path, string Display, string Reason);

/// <summary>What happened to one candidate during the search.</summary>
internal sealed record FreeTdsSearchStep(FreeTdsCandidate Candidate, bool Opened, bool DefinesServer);

/// <summary>
/// FreeTDS's search for the server's section (config.c tds_read_conf_file): the first file that defines
/// the section wins, not the first file that exists. The order is FREETDSCONF, $FREETDS/etc/freetds.conf,
/// ~/.config/freetds.conf (FreeTDS 1.5+), ~/.freetds.conf, then the compiled-in system file. Every file
/// opened on the way applies its <c>[global]</c> section to the same settings, so a <c>[global]</c> in a file
/// that does not define the server still counts.
/// </summary>
internal static class FreeTdsConfigSearch
{
    public static IReadOnlyList<FreeTdsCandidate> Candidates(FreeTdsEnvironment environment)
    {
        var candidates = new List<FreeTdsCandidate>();
        var conf = environment.Get("FREETDSCONF");
        if (conf is not null)
        {
            candidates.Add(new FreeTdsCandidate(conf, conf, $"FREETDSCONF={conf}"));
        }

        var freetds = environment.Get("FREETDS");
        if (freetds is not null)
        {
            var path = Path.Join(freetds, "etc", "freetds.conf");
            candidates.Add(new FreeTdsCandidate(path, path, $"FREETDS={freetds}"));
        }

        if (environment.HomeDirectory is { Length: > 0 } home)
        {
            candidates.Add(new FreeTdsCandidate(Path.Join(home, ".config", "freetds.conf"), "~/.config/freetds.conf", "user file (FreeTDS 1.5+)"));
            candidates.Add(new FreeTdsCandidate(Path.Join(home, ".freetds.conf"), "~/.freetds.conf", "user file"));
        }

        foreach (var system in environment.SystemConfigFiles)
        {
            candidates.Add(new FreeTdsCandidate(system, system, "system file"));
        }

        return candidates;
    }

    /// <summary>Reads the candidates in order into <paramref name="settings"/> until one defines <paramref name="server"/>.</summary>
    public static (List<FreeTdsSearchStep> Steps, FreeTdsConfigFile? Defining) Run(
        IReadOnlyList<FreeTdsCandidate> candidates, string server, FreeTdsSettings settings)
    {
        var steps = new List<FreeTdsSearchStep>();
        foreach (var candidate in candidates)
        {
            var file = FreeTdsConfigFile.TryRead(candidate.Path);
            if (file is null)
            {
                steps.Add(new FreeTdsSearchStep(candidate, false, false));
                continue;
            }

            // tds_read_conf_sections: the whole file is scanned for [global] first, then again for the server.
            foreach (var line in file.Section("global"))
            {
                settings.Apply(line, $"[global] of {candidate.Display}");
            }

            var defines = file.HasSection(server);
            foreach (var line in file.Section(server))
            {
                settings.Apply(line, $"[{server}] of {candidate.Display}");
            }

            steps.Add(new FreeTdsSearchStep(candidate, true, defines));
            if (defines)
            {
                return (steps, file);
            }
        }

        return (steps, null);
    }

    public static string Describe(IEnumerable<FreeTdsSearchStep> steps, string server)
    {
        var text = new StringBuilder();
        foreach (var step in steps)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(step.Candidate.Display).Append(" (").Append(step.Candidate.Reason).Append("): ")
                .Append(!step.Opened ? "cannot be opened" : step.DefinesServer ? $"defines [{server}]" : $"no [{server}] section");
        }

        return text.Length == 0 ? "no file to search (no FREETDSCONF, FREETDS, home directory or system file)" : text.ToString();
    }
}
