using System.Collections.Immutable;
using MongoDB.Bson;

namespace DbTls.Wire.Mongo;

/// <summary>The server's view of the session: <c>connectionStatus.authInfo</c>.</summary>
internal sealed record MongoConnectionStatus(ImmutableArray<(string User, string Database)> AuthenticatedUsers, ImmutableArray<(string Role, string Database)> AuthenticatedUserRoles)
{
    public static MongoConnectionStatus Parse(BsonDocument reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var authInfo = reply.TryGetValue("authInfo", out var a) && a.IsBsonDocument ? a.AsBsonDocument : new BsonDocument();
        return new MongoConnectionStatus(
            [.. Pairs(authInfo, "authenticatedUsers", "user")],
            [.. Pairs(authInfo, "authenticatedUserRoles", "role")]);
    }

    private static IEnumerable<(string, string)> Pairs(BsonDocument authInfo, string field, string nameField) =>
        authInfo.TryGetValue(field, out var list) && list.IsBsonArray
            ? list.AsBsonArray.Where(v => v.IsBsonDocument).Select(v => v.AsBsonDocument)
                .Select(d => (d.GetValue(nameField, string.Empty).ToString() ?? string.Empty, d.GetValue("db", string.Empty).ToString() ?? string.Empty))
            : [];
}

/// <summary>Commands dbtls runs after logging in.</summary>
internal static class MongoCommands
{
    public static async Task PingAsync(MongoWireConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.RunCommandAsync("admin", new BsonDocument("ping", 1), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<MongoConnectionStatus> ConnectionStatusAsync(MongoWireConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var reply = await connection.RunCommandAsync("admin", new BsonDocument("connectionStatus", 1), cancellationToken).ConfigureAwait(false);
        return MongoConnectionStatus.Parse(reply);
    }
}
