using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// A real OpenSSL TLS server that staples a given OCSP response file (<c>openssl s_server -status_file</c>)
/// or none. OpenSSL staples whatever it is given, so invalid, expired and wrongly signed responses can be
/// served. s_server handles one connection at a time and dbtls holds its handshake connection open while
/// it probes for the staple on a second one, so every accepted connection gets its own
/// <c>s_server -naccept 1</c> process behind a loopback listener. All processes are killed on dispose.
/// </summary>
internal sealed partial class StaplingOpenSslServer : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentBag<Process> _processes = [];
    private readonly List<string> _arguments;

    private StaplingOpenSslServer(List<string> arguments)
    {
        _arguments = arguments;
        _listener = new LoopbackListener(ServeAsync);
    }

    public IPEndPoint EndPoint => _listener.EndPoint;

    /// <summary>TCP connections accepted (the handshake and the staple probe each count one).</summary>
    public int Connections => _listener.Accepted;

    public static StaplingOpenSslServer Start(string certificateFile, string keyFile, string? stapleFile, string? protocolOption = null)
    {
        var arguments = new List<string> { "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-cert", certificateFile, "-key", keyFile, "-rev" };
        if (stapleFile is not null)
        {
            arguments.AddRange(["-status_file", stapleFile]);
        }

        if (protocolOption is not null)
        {
            arguments.Add(protocolOption);
        }

        return new StaplingOpenSslServer(arguments);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                var port = await StartBackendAsync(stop);
                using var backend = new TcpClient();
                await backend.ConnectAsync(IPAddress.Loopback, port, stop);
                var up = client.GetStream().CopyToAsync(backend.GetStream(), stop);
                var down = backend.GetStream().CopyToAsync(client.GetStream(), stop);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or InvalidOperationException)
            {
            }
        }
    }

    private async Task<int> StartBackendAsync(CancellationToken stop)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start openssl s_server");
        _processes.Add(process);
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = AcceptLine().Match(line);
            if (match.Success)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("openssl s_server did not start");
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.StopAcceptingAsync();
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        await _listener.DisposeAsync();
    }

    [GeneratedRegex(@"^ACCEPT .*:(\d+)$")]
    private static partial Regex AcceptLine();
}
