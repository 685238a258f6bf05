using System.Text;
using DbTls.Diagnostics;
using DbTls.Policy;

namespace DbTls.Dialects.Libpq;

/// <summary>The outcome of a password-file look-up: the password if a line matched, and what to tell the user.</summary>
internal sealed record PasswordFileResult(Secret? Password, string? Source, Finding? Note);

/// <summary>
/// libpq's password file (fe-connect.c, passwordFromFile): lines of
/// <c>hostname:port:database:username:password</c>, <c>*</c> matching anything in the first four
/// fields, <c>\:</c> and <c>\\</c> escapes, '#' comments, the first matching line wins. A file that
/// is not a plain file or that group or others can access is ignored with a warning.
/// </summary>
internal static class PasswordFile
{
    public static PasswordFileResult Lookup(string path, string? host, string? port, string database, string user)
    {
        if (database.Length == 0 || user.Length == 0)
        {
            return new PasswordFileResult(null, null, null);
        }

        // libpq matches "localhost" when no host is given (the default socket directory case).
        var hostKey = string.IsNullOrEmpty(host) ? "localhost" : host;
        var portKey = string.IsNullOrEmpty(port) ? "5432" : port;

        if (Directory.Exists(path))
        {
            return new PasswordFileResult(null, null, Warning($"password file \"{path}\" is not a plain file, so libpq ignores it"));
        }

        if (!File.Exists(path))
        {
            return new PasswordFileResult(null, null, null);
        }

        if (UnixPermissions.HasGroupOrOtherAccess(path))
        {
            return new PasswordFileResult(null, null, Warning(
                $"password file \"{path}\" has group or world access (mode {UnixPermissions.Octal(path)}); libpq ignores it: permissions should be u=rw (0600) or less",
                $"Run chmod 0600 {path}."));
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // libpq ignores a password file it cannot open.
            return new PasswordFileResult(null, null, null);
        }

        var lines = text.Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1].TrimEnd('\r', '\n');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var rest = MatchField(line, 0, hostKey);
            rest = rest < 0 ? -1 : MatchField(line, rest, portKey);
            rest = rest < 0 ? -1 : MatchField(line, rest, database);
            rest = rest < 0 ? -1 : MatchField(line, rest, user);
            if (rest < 0)
            {
                continue;
            }

            // The first matching line wins even when its password is empty, which libpq then treats as none.
            var password = Unescape(line, rest);
            var matched = $"{path} line {number} (matched host {hostKey}, port {portKey}, database {database}, user {user})";
            return password.Length == 0
                ? new PasswordFileResult(null, $"empty password in {matched}", null)
                : new PasswordFileResult(new Secret(password), $"password from {matched}", null);
        }

        return new PasswordFileResult(null, null, null);
    }

    /// <summary>
    /// libpq's pwdfMatchesString: a field of exactly <c>*</c> matches anything; otherwise the field,
    /// with backslash escapes removed, must equal the token. Returns the index after the field's
    /// colon, or -1.
    /// </summary>
    private static int MatchField(string line, int start, string token)
    {
        if (start + 1 < line.Length && line[start] == '*' && line[start + 1] == ':')
        {
            return start + 2;
        }

        var i = start;
        var t = 0;
        while (i < line.Length)
        {
            var escaped = false;
            if (line[i] == '\\')
            {
                i++;
                escaped = true;
                if (i >= line.Length)
                {
                    return -1;
                }
            }

            if (line[i] == ':' && t == token.Length && !escaped)
            {
                return i + 1;
            }

            if (t == token.Length || line[i] != token[t])
            {
                return -1;
            }

            i++;
            t++;
        }

        return -1;
    }

    /// <summary>The password field: up to an unescaped ':' or the end, backslash escapes removed.</summary>
    private static string Unescape(string line, int start)
    {
        var password = new StringBuilder();
        for (var i = start; i < line.Length && line[i] != ':'; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                i++;
            }

            password.Append(line[i]);
        }

        return password.ToString();
    }

    private static Finding Warning(string message, string? remedy = null) =>
        FindingCatalog.Create(FindingCodes.ConfigNote, message, remedy ?? "Make the password file a plain file readable only by its owner.", Severity.Warning);
}
