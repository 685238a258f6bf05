namespace DbTls.Tests.Infrastructure;

/// <summary>Locations inside the repository the tests were built from.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The directory holding DbTls.slnx.</summary>
    public static string Root => RootLazy.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DbTls.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No DbTls.slnx above {AppContext.BaseDirectory}");
    }
}
