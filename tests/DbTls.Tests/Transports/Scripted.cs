using System.Net.Sockets;
using DbTls.Tests.Infrastructure;

namespace DbTls.Tests.Transports;

/// <summary>A loopback server that plays one script per connection, for the transports' pre-TLS tests.</summary>
internal static class Scripted
{
    public static LoopbackListener Serve(Func<NetworkStream, CancellationToken, Task> script) =>
        new(async (client, stop) =>
        {
            using (client)
            {
                try
                {
                    await script(client.GetStream(), stop);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or EndOfStreamException)
                {
                    // The client went away first; the test asserts on the client's side.
                }
            }
        });

    public static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    public static async Task<byte[]> ReadExactAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    /// <summary>Holds the connection open until the client closes it (or the server stops), so the client sees no end of stream.</summary>
    public static async Task WaitForCloseAsync(Stream stream, CancellationToken cancellationToken)
    {
        var sink = new byte[256];
        while (await stream.ReadAsync(sink, cancellationToken) > 0)
        {
        }
    }
}
