using System.Globalization;

namespace DbTls.Tests.Infrastructure;

/// <summary>
/// Temp directories named <c>{prefix}{pid}-{random}</c>: the creating process id in the name lets a
/// later run remove what a killed test process left behind (ProcessExit handlers do not run when
/// the test host is killed, which vstest does on shutdown under load).
/// </summary>
public static class OwnedTempDirectory
{
    /// <summary>Removes orphans of earlier processes with this prefix, then creates a new directory (mode 0700).</summary>
    public static string Create(string prefix, Func<string, bool>? mayRemoveOrphan = null)
    {
        RemoveOrphans(prefix, mayRemoveOrphan);
        return Directory.CreateTempSubdirectory($"{prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-").FullName;
    }

    /// <summary>Deletes <c>{prefix}{pid}-*</c> directories whose process is gone (and that <paramref name="mayRemove"/> allows).</summary>
    public static void RemoveOrphans(string prefix, Func<string, bool>? mayRemove = null)
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var rest = Path.GetFileName(directory)[prefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0
                || !int.TryParse(rest[..dash], CultureInfo.InvariantCulture, out var pid)
                || ProcessTable.IsAlive(pid)
                || (mayRemove is not null && !mayRemove(directory)))
            {
                continue;
            }

            TryDelete(directory);
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
