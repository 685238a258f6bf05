using System.Text;

namespace DbTls.Dialects.Mongo;

/// <summary>The URI as reports show it: the password and the secret option values masked, everything else byte for byte.</summary>
internal static class MongoUriRedaction
{
    internal const string Redacted = "********";

    internal static readonly string[] SecretOptionKeys = ["tlscertificatekeyfilepassword", "proxypassword"];

    /// <summary>Rebuilds the URI with the password and secret option values masked, leaving everything else byte for byte.</summary>
    internal static string Redact(string uri, bool isSrv, string hostPart, int at, int question)
    {
        var scheme = isSrv ? MongoConnectionString.SrvScheme : MongoConnectionString.Scheme;
        var builder = new StringBuilder(uri.Length);
        builder.Append(scheme);
        if (at >= 0)
        {
            var userInfo = hostPart[..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Append(colon < 0 ? userInfo : userInfo[..(colon + 1)] + Redacted);
            builder.Append(hostPart[at..]);
        }
        else
        {
            builder.Append(hostPart);
        }

        var rest = uri[(scheme.Length + hostPart.Length)..];
        if (question < 0)
        {
            builder.Append(rest);
            return builder.ToString();
        }

        var q = rest.IndexOf('?', StringComparison.Ordinal);
        builder.Append(rest, 0, q + 1);
        var optionText = rest[(q + 1)..];
        var separator = optionText.Contains(';', StringComparison.Ordinal) && !optionText.Contains('&', StringComparison.Ordinal) ? ';' : '&';
        var first = true;
        foreach (var pair in optionText.Split(separator))
        {
            if (!first)
            {
                builder.Append(separator);
            }

            first = false;
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0 && SecretOptionKeys.Contains(pair[..eq].ToLowerInvariant()))
            {
                builder.Append(pair, 0, eq + 1).Append(Redacted);
            }
            else
            {
                builder.Append(pair);
            }
        }

        return builder.ToString();
    }
}
