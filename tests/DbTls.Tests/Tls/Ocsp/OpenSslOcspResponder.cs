using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// A real OCSP responder: <c>openssl ocsp -index ... -port 0</c>, answering from an OpenSSL CA
/// database (index.txt) with a signer certificate. It runs as the test's own (unprivileged) user and is
/// killed on dispose. OpenSSL binds the wildcard address; the tests reach it only through 127.0.0.1.
/// </summary>
internal sealed partial class OpenSslOcspResponder : IAsyncDisposable
{
    private readonly Process _process;

    private OpenSslOcspResponder(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<OpenSslOcspResponder> StartAsync(string indexFile, string caFile, string signerFile, string signerKeyFile, int validMinutes = 60)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "ocsp", "-index", indexFile, "-port", "0", "-CA", caFile, "-rsigner", signerFile, "-rkey", signerKeyFile,
                     "-nmin", validMinutes.ToString(CultureInfo.InvariantCulture), "-ignore_err",
                 })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start openssl ocsp");
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = AcceptLine().Match(line);
            if (match.Success)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new OpenSslOcspResponder(process, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }

        process.Kill();
        throw new InvalidOperationException("openssl ocsp did not start");
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

    [GeneratedRegex(@"^ACCEPT .*:(\d+) PID=")]
    private static partial Regex AcceptLine();
}
