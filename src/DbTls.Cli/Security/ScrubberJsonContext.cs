using System.Text.Json.Serialization;

namespace DbTls.Cli.Security;

/// <summary>Source-generated JSON for escaping secrets the way the report serializer does.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class ScrubberJsonContext : JsonSerializerContext
{
}
