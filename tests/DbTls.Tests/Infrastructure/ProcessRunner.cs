using System.Diagnostics;
using System.Text;

namespace DbTls.Tests.Infrastructure;

/// <summary>What a finished (or timed-out) child process left behind.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")} after {Elapsed.TotalMilliseconds:F0} ms\nstdout: {Stdout.TrimEnd()}\nstderr: {Stderr.TrimEnd()}";
}

/// <summary>One child process to run: the program, its arguments, and optionally a replaced environment.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>When set, the child gets exactly these variables and nothing inherited from the test process.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Variables added to (or overriding) the inherited environment; ignored when <see cref="Environment"/> is set.</summary>
    public IReadOnlyDictionary<string, string>? ExtraEnvironment { get; init; }

    public string? WorkingDirectory { get; init; }

    public string? StandardInput { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Runs child processes with a hard timeout; on timeout or cancellation the whole process tree is
/// killed so that no test leaves a process behind.
/// </summary>
public static class ProcessRunner
{
    public static Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunAsync(new ProcessSpec(fileName, [.. arguments]) { Timeout = timeout ?? TimeSpan.FromSeconds(60) }, cancellationToken);

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var process = new Process { StartInfo = CreateStartInfo(spec) };
        process.StartInfo.RedirectStandardInput = true;

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        var stdoutTask = PumpAsync(process.StandardOutput, stdout);
        var stderrTask = PumpAsync(process.StandardError, stderr);
        try
        {
            if (spec.StandardInput is not null)
            {
                await process.StandardInput.WriteAsync(spec.StandardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The child exited before reading its input; its exit code and stderr tell why.
        }
        finally
        {
            process.StandardInput.Close();
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(spec.Timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // The pumps end when every holder of the pipes has exited; a grandchild that kept them
        // open must not hang the test, so give them a bounded grace period.
        await Task.WhenAny(Task.WhenAll(stdoutTask, stderrTask), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        stopwatch.Stop();
        cancellationToken.ThrowIfCancellationRequested();
        lock (stdout)
            lock (stderr)
            {
                return new ProcessResult(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut, stopwatch.Elapsed);
            }
    }

    /// <summary>Start info with redirected output and the spec's environment applied.</summary>
    public static ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (spec.Environment is not null)
        {
            startInfo.Environment.Clear();
            foreach (var (key, value) in spec.Environment)
            {
                startInfo.Environment[key] = value;
            }
        }
        else if (spec.ExtraEnvironment is not null)
        {
            foreach (var (key, value) in spec.ExtraEnvironment)
            {
                startInfo.Environment[key] = value;
            }
        }

        return startInfo;
    }

    internal static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            lock (sink)
            {
                sink.Append(buffer, 0, read);
            }
        }
    }
}
