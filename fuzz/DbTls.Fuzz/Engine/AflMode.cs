using DbTls.Diagnostics;

namespace DbTls.Fuzz.Engine;

/// <summary>
/// The coverage-guided mode: AFL++ drives one target through SharpFuzz's persistent loop, with
/// DbTls.Core.dll instrumented by the sharpfuzz tool (fuzz/afl.sh does both). A documented refusal
/// returns normally; everything <see cref="Verdict"/> calls a crash is rethrown, which SharpFuzz
/// reports to AFL++ as a crash.
/// </summary>
internal static class AflMode
{
    public static void Run(Func<FuzzTarget> create)
    {
        // Created inside the loop: constructing a target runs instrumented DbTls code, which may only
        // run once SharpFuzz has mapped AFL's coverage memory.
        FuzzTarget? target = null;
        SharpFuzz.Fuzzer.Run(stream => RunOne(target ??= create(), stream));
    }

    private static void RunOne(FuzzTarget target, Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        try
        {
            target.Run(buffer.ToArray());
        }
        catch (DbTlsException ex) when (Verdict.CrashReason(ex) is null)
        {
            // A stable finding code: the parser refused the input as it should.
        }
        catch (DbTlsException ex)
        {
            throw new InvalidOperationException(Verdict.CrashReason(ex), ex);
        }
    }
}
