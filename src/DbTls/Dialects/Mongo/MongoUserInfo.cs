using System.Collections.Immutable;
using DbTls.Diagnostics;
using DbTls.Policy;
using static DbTls.Dialects.Mongo.MongoUriErrors;

namespace DbTls.Dialects.Mongo;

/// <summary>The userinfo before the last '@': PyMongo's escaping rules and its unquote_plus decoding.</summary>
internal static class MongoUserInfo
{
    internal static (string User, Secret? Password) ParseUserInfo(string userInfo, ImmutableArray<Finding>.Builder findings)
    {
        const string remedy = "Percent-encode the user name and password (for example with Python's urllib.parse.quote_plus): '@' is %40, ':' is %3A, '/' is %2F, '%' is %25.";
        if (userInfo.Contains('@', StringComparison.Ordinal))
        {
            throw Invalid("the user name or password contains an unescaped '@'", remedy);
        }

        if (userInfo.Count(c => c == ':') > 1)
        {
            throw Invalid("the user name or password contains an unescaped ':'", remedy);
        }

        if (MongoPercentEncoding.HasUnescapedPercent(userInfo))
        {
            throw Invalid("the user name or password contains a '%' that does not start a %XX escape", remedy);
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var rawUser = colon < 0 ? userInfo : userInfo[..colon];
        var rawPassword = colon < 0 ? null : userInfo[(colon + 1)..];
        if (rawUser.Length == 0)
        {
            throw Invalid("the user name is empty (the URI has an '@' with nothing before it)");
        }

        if (rawPassword is not null && rawPassword.Contains('+', StringComparison.Ordinal))
        {
            findings.Add(FindingCatalog.Create(FindingCodes.ConfigNote,
                "the password contains '+', which PyMongo decodes as a space.",
                "Write %2B for a literal plus sign in the password."));
        }

        var user = MongoPercentEncoding.Decode(rawUser, plusAsSpace: true);
        var password = rawPassword is null ? null : new Secret(MongoPercentEncoding.Decode(rawPassword, plusAsSpace: true));
        return (user, password);
    }
}
