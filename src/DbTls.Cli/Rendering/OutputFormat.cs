namespace DbTls.Cli.Rendering;

internal enum OutputFormat
{
    Text,
    Json,
}

internal static class OutputFormats
{
    public const string Text = "text";
    public const string Json = "json";

    public static OutputFormat Parse(string? value) =>
        string.Equals(value, Json, StringComparison.OrdinalIgnoreCase) ? OutputFormat.Json : OutputFormat.Text;
}
