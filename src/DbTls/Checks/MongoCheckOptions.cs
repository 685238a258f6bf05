using DbTls.Dialects.Mongo;

namespace DbTls.Checks;

/// <summary>Options of a MongoDB check that are not part of the connection string.</summary>
internal sealed record MongoCheckOptions
{
    /// <summary>Overall time limit for discovery, connecting, negotiating and logging in; null uses serverSelectionTimeoutMS, else 30 s.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Answers the SRV and TXT queries of a <c>mongodb+srv://</c> URI; without one such a URI fails with a clear finding.</summary>
    public IMongoDnsResolver? Dns { get; init; }

    /// <summary>Told each phase a seed's connection enters (CheckOptions.Phase).</summary>
    public IProgress<string>? Phase { get; init; }

    /// <summary>The shared check options plus a resolver.</summary>
    public static MongoCheckOptions From(CheckOptions options, IMongoDnsResolver? dns = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MongoCheckOptions { Timeout = options.Timeout, Dns = dns, Phase = options.Phase };
    }
}
