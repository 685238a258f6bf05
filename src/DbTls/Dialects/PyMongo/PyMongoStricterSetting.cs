using DbTls.Dialects.Mongo;

namespace DbTls.Dialects.PyMongo;

internal sealed partial class PyMongoDialect : IStricterVerification
{
    public StricterAdvice Stricter(string? redactedConnectionString) => new(
        "MongoClient(tls=True) without tlsInsecure, tlsAllowInvalidCertificates or tlsAllowInvalidHostnames",
        "Fix the certificate (or the host name), then drop tlsInsecure, tlsAllowInvalidCertificates and tlsAllowInvalidHostnames from the URI and from MongoClient's keyword arguments (with tlsCAFile naming the CA).",
        MongoDialect.Verified(redactedConnectionString));
}
