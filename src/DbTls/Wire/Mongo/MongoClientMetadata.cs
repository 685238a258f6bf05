using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>
/// The <c>client</c> document of the handshake (handshake spec): driver name and version, OS type (required),
/// OS name and architecture, platform, and the application name when one was given. The whole document must
/// stay under 512 bytes; optional fields are dropped in the spec's order until it does.
/// </summary>
internal static class MongoClientMetadata
{
    public const string DriverName = "dbtls";
    public const int MaxDocumentSize = 512;
    public const int MaxApplicationNameBytes = 128;

    public static BsonDocument Create(string? applicationName)
    {
        var version = typeof(MongoClientMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            version = version[..plus];
        }

        var os = new BsonDocument
        {
            { "type", OsType() },
            { "name", RuntimeInformation.OSDescription },
            { "architecture", RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() },
        };
        var document = new BsonDocument();
        if (applicationName is not null)
        {
            document.Add("application", new BsonDocument("name", TruncateUtf8(applicationName, MaxApplicationNameBytes)));
        }

        document.Add("driver", new BsonDocument { { "name", DriverName }, { "version", version } });
        document.Add("os", os);
        document.Add("platform", RuntimeInformation.FrameworkDescription);

        if (Size(document) > MaxDocumentSize)
        {
            os.Remove("name");
            os.Remove("architecture");
        }

        if (Size(document) > MaxDocumentSize)
        {
            document["platform"] = TruncateUtf8(document["platform"].AsString, Math.Max(0, document["platform"].AsString.Length - (Size(document) - MaxDocumentSize)));
        }

        return document;
    }

    public static int Size(BsonDocument document) => MongoBson.ToBytes(document).Length;

    private static string OsType() =>
        OperatingSystem.IsLinux() ? "Linux"
        : OperatingSystem.IsWindows() ? "Windows"
        : OperatingSystem.IsMacOS() ? "Darwin"
        : OperatingSystem.IsFreeBSD() ? "BSD"
        : "unknown";

    private static string TruncateUtf8(string value, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        var builder = new StringBuilder();
        var used = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            used += rune.Utf8SequenceLength;
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
