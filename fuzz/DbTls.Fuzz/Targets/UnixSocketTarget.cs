using DbTls.Fuzz.Engine;
using DbTls.Fuzz.Transport;

namespace DbTls.Fuzz.Targets;

/// <summary>A target whose parser only runs on a real socket: each input is served by a Unix-socket replay server.</summary>
internal abstract class UnixSocketTarget : FuzzTarget
{
    private readonly UnixReplayServer _server = new();

    public override void Run(byte[] input) => TargetHelpers.Wait(_server.ServeAsync(input, RunClientAsync));

    public override void Close() => _server.Dispose();

    /// <summary>The client side: connect to <paramref name="server"/> and run the parser path.</summary>
    protected abstract Task RunClientAsync(System.Net.EndPoint server);
}
