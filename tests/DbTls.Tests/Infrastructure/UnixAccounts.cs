using System.Runtime.InteropServices;
using System.Text;

namespace DbTls.Tests.Infrastructure;

/// <summary>
/// The Unix account facts the server harnesses need: whether the tests run as root (then servers
/// run as an unprivileged service account through runuser) and how to hand files to that account.
/// </summary>
public static class UnixAccounts
{
    /// <summary>True when the test process is root and must drop privileges to start a server.</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The numeric uid and gid of an account from /etc/passwd, or null when it does not exist.</summary>
    public static (int Uid, int Gid)? Lookup(string account)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == account
                && int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var uid)
                && int.TryParse(fields[3], System.Globalization.CultureInfo.InvariantCulture, out var gid))
            {
                return (uid, gid);
            }
        }

        return null;
    }

    /// <summary>Gives a file or directory to an account (root only; a no-op otherwise because the files are already ours).</summary>
    public static void ChangeOwner(string path, string account)
    {
        if (!IsRoot)
        {
            return;
        }

        var ids = Lookup(account) ?? throw new InvalidOperationException($"There is no '{account}' account: run scripts/setup.sh");
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        if (NativeMethods.chown(bytes, ids.Uid, ids.Gid) != 0)
        {
            throw new IOException($"chown {account} {path} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>
    /// The program and arguments that run <paramref name="fileName"/> as <paramref name="account"/>:
    /// through runuser when we are root, directly otherwise (we then already are an unprivileged user).
    /// </summary>
    public static (string FileName, IReadOnlyList<string> Arguments) AsUser(string account, string fileName, IEnumerable<string> arguments) =>
        IsRoot
            ? ("/usr/sbin/runuser", ["-u", account, "--", fileName, .. arguments])
            : (fileName, [.. arguments]);

    /// <summary>
    /// True when an unprivileged account can reach <paramref name="path"/>: every directory on the
    /// way must be searchable by others (a checkout under /root, mode 0700, is not).
    /// </summary>
    public static bool IsReachableByOthers(string path)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
        {
            if (!dir.Exists || (dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        internal static extern int chown(byte[] path, int owner, int group);
    }
}
