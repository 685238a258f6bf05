using System.Text.Json;
using DbTls.Dialects.Mongo;

namespace DbTls.Tests.Dialects.Mongo;

/// <summary>
/// Loads the MongoDB specification test files from a local checkout as xunit theory data: one row per case,
/// named by file and description so a failure says which case. The files are not vendored (their licence is
/// NonCommercial and the project copies no text from other projects; Dialects/Mongo/Spec/README.md), so
/// <see cref="Folder"/> is the <c>source/</c> folder scripts/fetch-mongo-specs.sh verified into .artifacts/mongo-specs
/// (setup.sh runs it), or a checkout's named by DBTLS_MONGO_SPEC_DIR (which wins), and the suites are skipped
/// (<see cref="MongoSpecTheoryAttribute"/>, <see cref="MongoSpecFactAttribute"/>) without either.
/// </summary>
internal static class MongoSpecCases
{
    public const string Variable = "DBTLS_MONGO_SPEC_DIR";

    public static string? Folder { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } dir ? dir : Fetched();

    public static string SkipReason =>
        $"the MongoDB specification files are missing: run scripts/fetch-mongo-specs.sh (needs network), or set {Variable} to the source/ folder of a mongodb/specifications checkout";

    private static string? Fetched()
    {
        var folder = Path.Combine(Infrastructure.RepoPaths.Root, ".artifacts", "mongo-specs", "source");
        return Directory.Exists(folder) ? folder : null;
    }

    private static string Root => Folder ?? throw new InvalidOperationException(SkipReason);

    /// <summary>Every case of the "tests" arrays in the given spec folder's files, as (file, description) keys.</summary>
    public static TheoryData<string, string> UriCases(string folder)
    {
        var data = new TheoryData<string, string>();
        if (Folder is null)
        {
            return data;
        }

        foreach (var file in Directory.GetFiles(Path.Combine(Folder, folder, "tests"), "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var test in document.RootElement.GetProperty("tests").EnumerateArray())
            {
                data.Add($"{folder}/tests/{Path.GetFileName(file)}", test.GetProperty("description").GetString()!);
            }
        }

        return data;
    }

    /// <summary>The case named by <see cref="UriCases"/>; descriptions are unique within a file.</summary>
    public static JsonElement UriCase(string file, string description)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
        return document.RootElement.GetProperty("tests").EnumerateArray()
            .Single(t => t.GetProperty("description").GetString() == description).Clone();
    }

    /// <summary>Every seedlist-discovery file (one case per file), relative to the spec folder.</summary>
    public static TheoryData<string> SeedlistCases()
    {
        var data = new TheoryData<string>();
        if (Folder is null)
        {
            return data;
        }

        var root = Path.Combine(Folder, "initial-dns-seedlist-discovery", "tests");
        foreach (var file in Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Folder, file).Replace('\\', '/'));
        }

        return data;
    }

    public static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
        return document.RootElement.Clone();
    }

    public static JsonElement? Property(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>One expected option against the typed field dbtls acts on, else the validated value it keeps.</summary>
    public static void AssertOption(MongoConnectionSpec spec, string key, JsonElement expected)
    {
        var tls = spec.TlsSettings;
        switch (key)
        {
            case "tls" or "ssl":
                Assert.Equal(expected.GetBoolean(), tls.Enabled);
                break;
            case "tlsallowinvalidcertificates":
                Assert.Equal(expected.GetBoolean(), tls.AllowInvalidCertificates);
                break;
            case "tlsallowinvalidhostnames":
                Assert.Equal(expected.GetBoolean(), tls.AllowInvalidHostnames);
                break;
            case "tlsinsecure":
                Assert.Equal(expected.GetBoolean(), tls.Insecure);
                break;
            case "tlsdisableocspendpointcheck":
                Assert.Equal(expected.GetBoolean(), tls.DisableOcspEndpointCheck);
                break;
            case "tlsdisablecertificaterevocationcheck":
                Assert.Equal(expected.GetBoolean(), tls.DisableCertificateRevocationCheck);
                break;
            case "tlscafile":
                Assert.Equal(expected.GetString(), tls.CAFile);
                break;
            case "tlscertificatekeyfile":
                Assert.Equal(expected.GetString(), tls.CertificateKeyFile);
                break;
            case "tlscertificatekeyfilepassword":
                Assert.Equal(expected.GetString(), tls.CertificateKeyFilePassword?.Reveal());
                break;
            case "authmechanism":
                Assert.Equal(expected.GetString(), spec.AuthMechanism ?? "DEFAULT");
                break;
            case "authsource":
                // The option's value; it is also the database the check logs in to whenever there is a login.
                Assert.Equal(expected.GetString(), spec.Options.GetValueOrDefault(key));
                Assert.Equal(spec.User is null && spec.AuthMechanism is null ? null : expected.GetString(), spec.AuthSource);
                break;
            case "replicaset":
                Assert.Equal(expected.GetString(), spec.ReplicaSet);
                break;
            case "directconnection":
                Assert.Equal(expected.GetBoolean(), spec.DirectConnection);
                break;
            case "loadbalanced":
                Assert.Equal(expected.GetBoolean(), spec.LoadBalanced);
                break;
            case "appname":
                Assert.Equal(expected.GetString(), spec.AppName);
                break;
            case "connecttimeoutms":
                Assert.Equal(expected.GetDouble(), spec.ConnectTimeout?.TotalMilliseconds);
                break;
            case "serverselectiontimeoutms":
                Assert.Equal(expected.GetDouble(), spec.ServerSelectionTimeout?.TotalMilliseconds);
                break;
            case "srvservicename":
                Assert.Equal(expected.GetString(), spec.SrvServiceName);
                break;
            case "srvmaxhosts":
                Assert.Equal(expected.GetInt32(), spec.SrvMaxHosts);
                break;
            case "proxypassword":
                Assert.True(spec.Options.ContainsKey(key), key);
                break;
            case "authmechanismproperties":
                Assert.Equal(Pairs(expected), MongoKeyValuePairs.TryParse(spec.Options[key]));
                break;
            case "readpreferencetags":
                Assert.Equal(expected.EnumerateArray().Select(Pairs), spec.Options[key].Split('\n').Select(MongoKeyValuePairs.TryParse));
                break;
            default:
                Assert.True(spec.Options.TryGetValue(key, out var actual), $"option {key} is missing");
                Assert.Equal(Scalar(expected), actual);
                break;
        }
    }

    private static Dictionary<string, string> Pairs(JsonElement o) =>
        o.EnumerateObject().ToDictionary(p => p.Name, p => Scalar(p.Value), StringComparer.Ordinal);

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Array => string.Join(',', e.EnumerateArray().Select(Scalar)),
        _ => e.GetRawText(),
    };
}

/// <summary>A spec theory: skipped, rather than passing on no rows, when DBTLS_MONGO_SPEC_DIR is not set.</summary>
public sealed class MongoSpecTheoryAttribute : TheoryAttribute
{
    public MongoSpecTheoryAttribute()
    {
        if (MongoSpecCases.Folder is null)
        {
            Skip = MongoSpecCases.SkipReason;
        }
    }
}

/// <summary>A fact about the spec data: skipped when DBTLS_MONGO_SPEC_DIR is not set.</summary>
public sealed class MongoSpecFactAttribute : FactAttribute
{
    public MongoSpecFactAttribute()
    {
        if (MongoSpecCases.Folder is null)
        {
            Skip = MongoSpecCases.SkipReason;
        }
    }
}
