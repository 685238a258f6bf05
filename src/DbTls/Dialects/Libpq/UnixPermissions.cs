namespace DbTls.Dialects.Libpq;

/// <summary>The file-permission tests libpq applies to the password file and the client key.</summary>
internal static class UnixPermissions
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Whether group or others have any access (S_IRWXG | S_IRWXO); never true on Windows, where libpq skips the test.</summary>
    public static bool HasGroupOrOtherAccess(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0;

    /// <summary>
    /// libpq's test for the client key: a key owned by root may be u=rw,g=r (0640); any other
    /// key at most u=rw (0600). .NET cannot read a file's owner, so a privileged process is taken
    /// to be reading root-owned keys.
    /// </summary>
    public static bool KeyTooOpen(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var mode = File.GetUnixFileMode(path);
        var forbidden = Environment.IsPrivilegedProcess
            ? GroupOrOther & ~UnixFileMode.GroupRead
            : GroupOrOther;
        return (mode & forbidden) != 0;
    }

    public static string Octal(string path) =>
        OperatingSystem.IsWindows() ? "?" : Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
}
