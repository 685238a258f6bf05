using System.Text;
using DbTls.Diagnostics;

namespace DbTls.Dialects.Mongo;

/// <summary>
/// Masks the secrets of a MongoDB URI: the password of the user information, the secret options
/// (tlsCertificateKeyFilePassword, proxyPassword) and the AWS_SESSION_TOKEN inside authMechanismProperties.
/// A URI the parser reads is masked from its parsed parts; one it refuses is masked generously.
/// </summary>
internal static class MongoRedactor
{
    private const string MechanismProperties = "authMechanismProperties";

    // Properties of authMechanismProperties whose values are credentials.
    private static readonly string[] SecretProperties = ["AWS_SESSION_TOKEN"];

    public static string Redact(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        try
        {
            return RedactParsed(MongoConnectionString.Parse(uri).RedactedUri);
        }
        catch (DbTlsException)
        {
            return RedactUnparsable(uri);
        }
    }

    /// <summary>The parser's rendering (password and secret options already masked) with the mechanism properties' secrets masked too.</summary>
    public static string RedactParsed(string redactedUri)
    {
        var question = redactedUri.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return redactedUri;
        }

        var builder = new StringBuilder(redactedUri.Length).Append(redactedUri, 0, question + 1);
        var options = redactedUri[(question + 1)..];
        var separator = options.Contains(';', StringComparison.Ordinal) && !options.Contains('&', StringComparison.Ordinal) ? ';' : '&';
        var pairs = options.Split(separator);
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(separator);
            }

            var equals = pairs[i].IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && pairs[i].AsSpan(0, equals).Equals(MechanismProperties, StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(pairs[i], 0, equals + 1).Append(RedactProperties(pairs[i][(equals + 1)..]));
            }
            else
            {
                builder.Append(pairs[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary><c>KEY:value,KEY:value</c> with the values of credential keys masked (keys may be percent-encoded).</summary>
    private static string RedactProperties(string properties)
    {
        var parts = properties.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var colon = parts[i].IndexOf(':', StringComparison.Ordinal);
            var colonEncoded = parts[i].IndexOf("%3A", StringComparison.OrdinalIgnoreCase);
            var end = colon >= 0 && (colonEncoded < 0 || colon < colonEncoded) ? colon : colonEncoded;
            var width = end == colon ? 1 : 3;
            if (end >= 0 && SecretProperties.Any(p => parts[i].AsSpan(0, end).Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                parts[i] = parts[i][..(end + width)] + Redaction.Mask;
            }
        }

        return string.Join(',', parts);
    }

    /// <summary>
    /// A URI the parser refuses cannot be split reliably (a raw '@', '/' or '?' in a password confuses any reading):
    /// everything between the first ':' after the scheme and the last '@' is masked, and the secret options after it.
    /// It may mask more than the password, never less.
    /// </summary>
    private static string RedactUnparsable(string uri)
    {
        var schemeLength = uri.StartsWith(MongoConnectionString.SrvScheme, StringComparison.OrdinalIgnoreCase) ? MongoConnectionString.SrvScheme.Length
            : uri.StartsWith(MongoConnectionString.Scheme, StringComparison.OrdinalIgnoreCase) ? MongoConnectionString.Scheme.Length
            : 0;
        if (schemeLength == 0)
        {
            return Redaction.Unparsable(uri);
        }

        var at = uri.LastIndexOf('@');
        var colon = at > schemeLength ? uri.IndexOf(':', schemeLength, at - schemeLength) : -1;
        var masked = colon >= 0 ? uri[..(colon + 1)] + Redaction.Mask + uri[at..] : uri;
        var question = masked.IndexOf('?', Math.Max(colon, 0));
        if (question < 0)
        {
            return masked;
        }

        // Option values are masked whenever their key could name a secret, known to the drivers or not.
        var options = masked[(question + 1)..].Split('&');
        for (var i = 0; i < options.Length; i++)
        {
            var equals = options[i].IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && (Redaction.MayNameSecret(options[i][..equals]) || options[i][..equals].Equals(MechanismProperties, StringComparison.OrdinalIgnoreCase)))
            {
                options[i] = options[i][..(equals + 1)] + Redaction.Mask;
            }
        }

        return masked[..(question + 1)] + string.Join('&', options);
    }
}
