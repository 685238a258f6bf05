using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Dialects.Tds;

namespace DbTls.Dialects.FreeTds;

/// <summary>The TDS version the check speaks for the configured 'tds version' (from freetds.conf or TDSVER): 8.0 under strict encryption, else 7.4; versions without PRELOGIN are refused.</summary>
internal static class FreeTdsVersionRules
{
    internal static TdsVersion ResolveVersion((string Text, ushort Code)? version, bool strict, FreeTdsSettings settings, ImmutableArray<Finding>.Builder findings)
    {
        if (version is null)
        {
            return strict ? TdsVersion.Tds80 : TdsVersion.Tds74;
        }

        var (text, code) = version.Value;
        if (code is 0x402 or 0x500 or 0x700)
        {
            throw TdsDialectRules.Invalid(
                $"tds version = {text} ({settings.OriginOf("tds version")}): FreeTDS sends no PRELOGIN with this version and never encrypts a SQL Server connection; dbtls checks TDS 7.1 and later",
                "Use tds version = 7.4 (or auto) for SQL Server.");
        }

        if (strict)
        {
            return TdsVersion.Tds80;
        }

        if (code is 0x701 or 0x702 or 0x703)
        {
            findings.Add(TdsDialectRules.Note($"tds version = {text}: dbtls speaks TDS 7.4; PRELOGIN encryption works the same from 7.1 to 7.4"));
        }

        return TdsVersion.Tds74;
    }

    internal static void AddVersionNotes(FreeTdsSettings settings, List<FreeTdsSearchStep> steps, bool strict, ImmutableArray<Finding>.Builder findings)
    {
        var newer = new List<string>();
        if (strict)
        {
            newer.Add("encryption = strict / tds version = 8.0");
        }

        if (!string.IsNullOrEmpty(settings.CertificateHostname))
        {
            newer.Add("certificate hostname");
        }

        if (steps.Any(s => s.Opened && s.Candidate.Display == "~/.config/freetds.conf"))
        {
            newer.Add("~/.config/freetds.conf");
        }

        if (newer.Count > 0)
        {
            findings.Add(TdsDialectRules.Note($"{string.Join(", ", newer)} need FreeTDS 1.5 or later; older FreeTDS (e.g. Debian's 1.3.17) rejects or ignores them"));
        }

        if (settings.OriginOf("enable tls v1.1") is not null)
        {
            findings.Add(TdsDialectRules.Note("enable tls v1.1 exists only in FreeTDS after 1.5.x (released versions allow TLS 1.1 by default and ignore the option)"));
        }
    }
}
