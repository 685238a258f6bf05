using System.Text;

namespace DbTls.Fuzz.Targets;

/// <summary>Small things several adapters share.</summary>
internal static class TargetHelpers
{
    /// <summary>Runs an async parser path to the end on the fuzzer's thread (the streams complete synchronously).</summary>
    public static void Wait(Task task) => task.GetAwaiter().GetResult();

    /// <summary>Splits "first NUL second" (two server messages of one text exchange); no NUL gives an empty second part.</summary>
    public static (byte[] First, byte[] Second) SplitAtNul(byte[] input)
    {
        var nul = Array.IndexOf(input, (byte)0);
        return nul < 0 ? (input, []) : (input[..nul], input[(nul + 1)..]);
    }

    public static byte[][] Ascii(params string[] tokens) => [.. tokens.Select(Encoding.ASCII.GetBytes)];
}
