using System.Security.Cryptography;

namespace DbTls.Fuzz.Engine;

/// <summary>fuzz/corpus/&lt;target&gt;/: the seed files (recorded and regression inputs) and the crash folder.</summary>
internal sealed class Corpus(string root)
{
    public string Root { get; } = root;

    /// <summary>Every seed file of the target, in name order so that runs are reproducible.</summary>
    public List<byte[]> Load(string target)
    {
        var folder = Path.Combine(Root, target);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)];
    }

    /// <summary>Saves a crashing input and its description under fuzz/crashes/&lt;target&gt;/; returns the path.</summary>
    public static string SaveCrash(string crashRoot, string target, string kind, byte[] input, string description)
    {
        var folder = Path.Combine(crashRoot, target);
        Directory.CreateDirectory(folder);
        var name = $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(input))[..16]}";
        var path = Path.Combine(folder, name + ".bin");
        File.WriteAllBytes(path, input);
        File.WriteAllText(Path.Combine(folder, name + ".txt"), $"target: {target}\nlength: {input.Length}\nhex: {Convert.ToHexStringLower(input)}\n\n{description}\n");
        return path;
    }
}
