using System.Net;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Servers.Mongo;
using DbTls.Tests.Servers.Tds;
using DbTls.Wire.Mongo;

namespace DbTls.Tests.EndToEnd.Native;

/// <summary>
/// Hosts a test server out of process for bench/ (<c>dotnet DbTls.Tests.dll bench-server tds|mongo DIR</c>): fresh
/// certificates with the root written to <c>DIR/root.pem</c>, the server on a free loopback port, one line
/// <c>port=N user=U password=P</c> on stdout, and the server stopped when stdin closes.
/// </summary>
public static class BenchServerHost
{
    public const string Command = "bench-server";

    private const string MongoPassword = "Bench-Mongo-Pw-3";

    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length != 2 || args[0] is not ("tds" or "mongo") || !Directory.Exists(args[1]))
        {
            await Console.Error.WriteLineAsync($"usage: DbTls.Tests {Command} tds|mongo <existing directory>");
            return 2;
        }

        var rootPath = Path.Combine(args[1], "root.pem");
        if (args[0] == "tds")
        {
            using var certs = new TdsTestCertificates();
            File.Copy(certs.RootPemPath, rootPath, overwrite: true);
            await using var server = TdsTestServer.Start(certs.ServerOptions());
            return await ServeUntilStdinClosesAsync(server.Port, server.Options.User, server.Options.Password);
        }

        using var root = CertFactory.CreateRoot("dbtls bench Mongo Root");
        using var leaf = CertFactory.CreateLeaf(root, new CertSpec { CommonName = "localhost", DnsNames = ["localhost"], IpAddresses = [IPAddress.Loopback] });
        CertFactory.WritePem(rootPath, root.CertificatePem);
        await using var mongo = MongoTestServer.Start(new MongoTestServerOptions
        {
            Certificate = leaf.Certificate,
            Users = [new MongoTestUser("bench", "admin", MongoPassword, ScramMechanism.Sha256)],
        });
        return await ServeUntilStdinClosesAsync(mongo.Port, "bench", MongoPassword);
    }

    private static async Task<int> ServeUntilStdinClosesAsync(int port, string user, string password)
    {
        Console.WriteLine($"port={port} user={user} password={password}");
        await Console.Out.FlushAsync();
        while (await Console.In.ReadLineAsync() is not null)
        {
        }

        return 0;
    }
}
