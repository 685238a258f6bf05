using DbTls.Tests.EndToEnd.Mongo;
using DbTls.Tests.Infrastructure;
using DbTls.Tests.Oracles.PyMongo;

namespace DbTls.Tests.Explain;

/// <summary>
/// The real MongoDB drivers of this machine, each given URIs in its own dialect, a few at a time: MongoDB.Driver (one
/// child of the test assembly per URI, <see cref="MongoDriverProbe"/>) and PyMongo 3.11 (probe.py). Both trust exactly
/// the test root as their system store (SSL_CERT_FILE / SSL_CERT_DIR), as dbtls does in <see cref="PeerChild"/>.
/// </summary>
internal static class MongoPeerDrivers
{
    /// <summary>The target dialects with a real driver here.</summary>
    public static readonly string[] Dialects = ["mongodb", "pymongo"];

    public static async Task<IReadOnlyList<PeerVerdict>> RunAsync(string dialect, IReadOnlyList<string> uris, string rootPemPath, string workDirectory) =>
        await Throttle.AllAsync(uris, 3, uri => dialect switch
        {
            "mongodb" => MongoDriverAsync(uri, rootPemPath, workDirectory),
            "pymongo" => PyMongoAsync(uri, rootPemPath, workDirectory),
            _ => throw new ArgumentException($"no real driver for {dialect} here", nameof(dialect)),
        });

    private static async Task<PeerVerdict> MongoDriverAsync(string uri, string rootPemPath, string workDirectory)
    {
        var (connected, error) = await MongoDriverProbe.RunAsync(uri, new MongoDriverProbe.InCode(), rootPemPath, workDirectory);
        return new PeerVerdict(connected, null, error.ReplaceLineEndings(" | "));
    }

    /// <summary>probe.py with the URI alone: a conversion carries PyMongo's keyword arguments in the URI.</summary>
    private static async Task<PeerVerdict> PyMongoAsync(string uri, string rootPemPath, string workDirectory)
    {
        var empty = Directory.CreateDirectory(Path.Combine(workDirectory, "no-system-roots")).FullName;
        var result = await ProcessRunner.RunAsync(new ProcessSpec(PyMongoOracle.Python, [PyMongoOracle.ProbePath, uri])
        {
            ExtraEnvironment = PeerChild.TrustOnly(rootPemPath, empty),
            Timeout = TimeSpan.FromSeconds(60),
        });
        Assert.True(result.Succeeded, $"the PyMongo probe did not run: {result}");
        var line = result.Stdout.Trim();
        return new PeerVerdict(line == "OK", null, line);
    }
}
