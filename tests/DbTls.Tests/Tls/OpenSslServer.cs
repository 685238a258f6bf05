using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace DbTls.Tests.Tls;

/// <summary>
/// A real OpenSSL peer: <c>openssl s_server -rev</c> (reverses each line it reads). Used where the
/// behaviour under test is OpenSSL's own, e.g. SSL_VERIFY_FAIL_IF_NO_PEER_CERT, which sends
/// "handshake failure" (TLS 1.2) or "certificate required" (TLS 1.3) alerts that an SslStream server
/// never sends. Serves one connection.
/// </summary>
internal sealed partial class OpenSslServer : IAsyncDisposable
{
    private readonly Process _process;

    private OpenSslServer(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public static bool Available { get; } = Probe();

    /// <param name="arguments">s_server arguments besides -accept, -naccept and -rev.</param>
    public static async Task<OpenSslServer> StartAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-rev" }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start openssl");
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = AcceptLine().Match(line);
            if (match.Success)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new OpenSslServer(process, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        process.Kill();
        throw new InvalidOperationException("openssl s_server did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static bool Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("openssl", "version") { RedirectStandardOutput = true, UseShellExecute = false });
            process?.WaitForExit(10_000);
            return process?.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^ACCEPT .*:(\d+)$")]
    private static partial Regex AcceptLine();
}
