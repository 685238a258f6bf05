using System.Text;

namespace DbTls.Export;

/// <summary>The little of HTTP/1.1 the exporter needs: read one GET request's target, write one response, split a query.</summary>
internal static class ExporterHttp
{
    /// <summary>The request target of a GET (e.g. <c>/probe?target=a</c>), or null for anything else or an oversized request.</summary>
    public static async Task<string?> ReadRequestTargetAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxBytes];
        var length = 0;
        while (length < maxBytes)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                return ParseRequestLine(buffer.AsSpan(0, length));
            }
        }

        return null;
    }

    internal static string? ParseRequestLine(ReadOnlySpan<byte> request)
    {
        var end = request.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        // "GET /path HTTP/1.1": exactly three parts, GET only.
        var line = Encoding.ASCII.GetString(request[..end]);
        var parts = line.Split(' ');
        return parts.Length == 3 && parts[0] == "GET" && parts[1].StartsWith('/') && parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)
            ? parts[1]
            : null;
    }

    public static (string Path, Dictionary<string, string> Query) SplitTarget(string target)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        var mark = target.IndexOf('?', StringComparison.Ordinal);
        if (mark < 0)
        {
            return (target, query);
        }

        foreach (var pair in target[(mark + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            query.TryAdd(key, value);
        }

        return (target[..mark], query);
    }

    public static async Task WriteResponseAsync(Stream stream, int status, string contentType, string body, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var reason = status switch
        {
            200 => "OK",
            400 => "Bad Request",
            _ => "Not Found",
        };
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
