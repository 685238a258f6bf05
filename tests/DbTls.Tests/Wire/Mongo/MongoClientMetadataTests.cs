using DbTls.Wire.Mongo;
using MongoDB.Bson;

namespace DbTls.Tests.Wire.Mongo;

public class MongoClientMetadataTests
{
    [Fact]
    public void Metadata_has_the_required_fields_and_fits_512_bytes()
    {
        var metadata = MongoClientMetadata.Create("dbtls check");
        Assert.Equal("dbtls", metadata["driver"]["name"].AsString);
        Assert.False(string.IsNullOrEmpty(metadata["driver"]["version"].AsString));
        Assert.Equal(ExpectedOsType(), metadata["os"]["type"].AsString);
        Assert.Equal("dbtls check", metadata["application"]["name"].AsString);
        Assert.True(MongoClientMetadata.Size(metadata) <= 512);
    }

    /// <summary>The handshake specification's names for os.type ("Windows", "Linux", "Darwin"), for whichever OS runs the test.</summary>
    private static string ExpectedOsType()
    {
        if (OperatingSystem.IsLinux())
        {
            return "Linux";
        }

        if (OperatingSystem.IsWindows())
        {
            return "Windows";
        }

        return OperatingSystem.IsMacOS() ? "Darwin" : "unknown";
    }

    [Fact]
    public void Long_application_names_are_cut_to_128_bytes()
    {
        var metadata = MongoClientMetadata.Create(new string('\u00e9', 200));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(metadata["application"]["name"].AsString) <= 128);
        Assert.True(MongoClientMetadata.Size(metadata) <= 512);
    }

    [Fact]
    public void Hello_negotiates_mechanism_with_the_raw_user_and_speculates()
    {
        var credential = new MongoCredential("\u2168", new DbTls.Policy.Secret("x"), "admin");
        var (_, speculative) = MongoAuthenticator.StartSpeculative(credential);
        var hello = MongoHandshake.BuildHello(MongoHelloCommand.LegacyHello, MongoClientMetadata.Create(null), credential, speculative);
        Assert.Equal("isMaster", hello.GetElement(0).Name);
        Assert.True(hello["helloOk"].AsBoolean);
        Assert.Equal("admin.\u2168", hello["saslSupportedMechs"].AsString);
        Assert.Equal("SCRAM-SHA-256", hello["speculativeAuthenticate"]["mechanism"].AsString);
        Assert.Equal("admin", hello["speculativeAuthenticate"]["db"].AsString);
        Assert.True(hello["speculativeAuthenticate"]["options"]["skipEmptyExchange"].AsBoolean);
        Assert.False(hello.Contains("$db"));

        var explicitMechanism = MongoHandshake.BuildHello(MongoHelloCommand.Hello, MongoClientMetadata.Create(null), credential with { Mechanism = ScramMechanism.Sha1 }, null);
        Assert.Equal("hello", explicitMechanism.GetElement(0).Name);
        Assert.False(explicitMechanism.Contains("saslSupportedMechs"));
    }

    [Fact]
    public void Mechanism_choice_follows_the_auth_spec()
    {
        var credential = new MongoCredential("u", new DbTls.Policy.Secret("p"), "admin");
        MongoHelloReply Reply(params string[]? mechs) => MongoHelloReply.Parse(mechs is null
            ? new BsonDocument("ok", 1)
            : new BsonDocument { { "ok", 1 }, { "saslSupportedMechs", new BsonArray(mechs) } });
        Assert.Equal(ScramMechanism.Sha256, MongoAuthenticator.ChooseMechanism(credential, Reply("SCRAM-SHA-1", "SCRAM-SHA-256")));
        Assert.Equal(ScramMechanism.Sha1, MongoAuthenticator.ChooseMechanism(credential, Reply("SCRAM-SHA-1")));
        Assert.Equal(ScramMechanism.Sha1, MongoAuthenticator.ChooseMechanism(credential, Reply("PLAIN", "UNKNOWN")));
        Assert.Equal(ScramMechanism.Sha1, MongoAuthenticator.ChooseMechanism(credential, Reply(null)));
        Assert.Equal(ScramMechanism.Sha256, MongoAuthenticator.ChooseMechanism(credential with { Mechanism = ScramMechanism.Sha256 }, Reply("SCRAM-SHA-1")));
    }
}
