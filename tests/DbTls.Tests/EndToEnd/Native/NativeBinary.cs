using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// The published NativeAOT <c>dbtls</c>: the executable scripts/install.sh installs, with the runtime settings users
/// get (InvariantGlobalization among them), which the in-process tests do not have. <c>DBTLS_NATIVE_BINARY</c> names
/// one already published (scripts/test.sh publishes once and sets it); otherwise the first test that needs it
/// publishes it through scripts/publish-native.sh, once per test run.
/// </summary>
internal static class NativeBinary
{
    public const string Variable = "DBTLS_NATIVE_BINARY";

    private static readonly Lazy<Task<string>> PathLazy = new(LocateAsync);

    public static Task<string> PathAsync() => PathLazy.Value;

    private static async Task<string> LocateAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given))
        {
            return File.Exists(given) ? given : throw new InvalidOperationException($"{Variable}={given} names no file");
        }

        var output = Path.Combine(RepoPaths.Root, ".artifacts", "native-tests");
        var publish = await ProcessRunner.RunAsync(new ProcessSpec(Path.Combine(RepoPaths.Root, "scripts", "publish-native.sh"), [output])
        {
            WorkingDirectory = RepoPaths.Root,
            Timeout = TimeSpan.FromMinutes(15),
        }).ConfigureAwait(false);
        var binary = Path.Combine(output, "dbtls");
        return publish.Succeeded && File.Exists(binary)
            ? binary
            : throw new InvalidOperationException($"scripts/publish-native.sh failed: {publish}");
    }
}
