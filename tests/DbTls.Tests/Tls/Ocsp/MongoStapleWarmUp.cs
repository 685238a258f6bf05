using DbTls.Dialects.Mongo;
using DbTls.Tests.Servers.Mongo;

namespace DbTls.Tests.Tls.Ocsp;

/// <summary>
/// Waits until a MongoDB test server started with <see cref="MongoTestServerOptions.StapleOcsp"/> really
/// staples: .NET fetches the staple in the background, so the first handshakes may go out before it arrived.
/// The probing client runs with tlsDisableOCSPEndpointCheck=true, so an OCSP answer can only be the staple.
/// </summary>
internal static class MongoStapleWarmUp
{
    public static async Task<Connection> ConnectUntilStapledAsync(MongoTestServer mongo, string rootFile)
    {
        var policy = MongoConnectionString.Parse($"mongodb://localhost/?tls=true&tlsDisableOCSPEndpointCheck=true&tlsCAFile={Uri.EscapeDataString(rootFile)}").Tls;
        var endPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, mongo.Port);
        for (var attempt = 0; ; attempt++)
        {
            var connection = await Connection.OpenAsync(endPoint, policy, "localhost");
            if (connection.Report.Ocsp?.Stapled == true || attempt == 20)
            {
                return connection;
            }

            await connection.DisposeAsync();
            await Task.Delay(250);
        }
    }
}
