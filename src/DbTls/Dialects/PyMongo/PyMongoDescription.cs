using DbTls.Dialects.Mongo;

namespace DbTls.Dialects.PyMongo;

/// <summary>
/// PyMongo's URI and keyword arguments read offline for <c>explain</c>. <c>convert</c> writes everything into the URI,
/// which <c>MongoClient(uri)</c> takes alone: every keyword argument dbtls reads has a URI option of the same name.
/// </summary>
internal sealed partial class PyMongoDialect : IDescribableDialect
{
    private static readonly MongoDialect Uri = new();

    public ConnectionProtocol Protocol => ConnectionProtocol.MongoDb;

    public ConnectionDescription Describe(string connectionString, CheckEnvironment environment) =>
        MongoDialect.DescriptionOf(Name, Parse(connectionString, environment));

    public RenderedConnection Render(ConnectionDescription description) => Uri.RenderUri(description, forAnyDriver: false);
}
