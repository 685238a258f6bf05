using static DbTls.Dialects.Mongo.MongoUriErrors;

namespace DbTls.Dialects.Mongo;

/// <summary>The path after the host list: the default database (the part before the first '.', which names a collection).</summary>
internal static class MongoDatabasePath
{
    internal static string? ParseDatabase(string dbText)
    {
        if (dbText.Length == 0)
        {
            return null;
        }

        var db = MongoPercentEncoding.Decode(dbText, plusAsSpace: true);

        // A dotted path names a namespace (db.collection); the database is the part before the first dot.
        var dot = db.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            db = db[..dot];
        }

        if (db.AsSpan().IndexOfAny("/\\ \"$") >= 0)
        {
            throw Invalid($"bad database name '{db}': it must not contain '/', '\\', ' ', '\"' or '$'",
                "Percent-encode the database name, or remove the path after the host list.");
        }

        return db.Length == 0 ? null : db;
    }
}
