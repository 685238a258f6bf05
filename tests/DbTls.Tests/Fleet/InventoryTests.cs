using DbTls.Dialects;
using DbTls.Fleet;

namespace DbTls.Tests.Fleet;

public sealed class InventoryTests
{
    private static IReadOnlyList<FleetTarget> Parse(string text)
    {
        Assert.True(Inventory.TryParse(text, DialectRegistry.Default, out var targets, out var error), error);
        return targets;
    }

    private static string Refused(string text)
    {
        Assert.False(Inventory.TryParse(text, DialectRegistry.Default, out _, out var error));
        return error;
    }

    [Fact]
    public void Plain_lines_skip_comments_and_blank_lines_and_keep_their_line_numbers()
    {
        var targets = Parse("# prod\n\nhost=a sslmode=require\n  \n  mongodb://b:27017/?tls=true  \r\n# end\n");
        Assert.Equal(["host=a sslmode=require", "mongodb://b:27017/?tls=true"], targets.Select(t => t.Name));
        Assert.Equal([3, 5], targets.Select(t => t.Line));
        Assert.All(targets, t => Assert.Equal(t.Name, t.ConnectionString));
    }

    [Fact]
    public void Json_inventory_reads_names_groups_and_per_target_options()
    {
        var targets = Parse("""
            {"targets": [
              {"name": "orders-1", "group": "orders", "connectionString": "host=o1 sslmode=verify-full", "timeoutSeconds": 2.5, "passwordVariable": "ORDERS_PW"},
              // comments are allowed
              {"connectionString": "Server=tds;Encrypt=true", "dialect": "sqlclient"}
            ]}
            """);
        Assert.Equal(2, targets.Count);
        Assert.Equal(("orders-1", "orders", TimeSpan.FromSeconds(2.5), "ORDERS_PW"), (targets[0].Name, targets[0].Group, targets[0].Timeout!.Value, targets[0].PasswordVariable));
        Assert.Equal("Server=tds;Encrypt=true", targets[1].Name);
        Assert.Equal("sqlclient", targets[1].Dialect);
    }

    [Theory]
    [InlineData("host=a password=hunter2 sslmode=require\n")]
    [InlineData("postgresql://u:hunter2@a/db\n")]
    [InlineData("""{"targets": [{"name": "x", "connectionString": "Server=a;Password=hunter2;Encrypt=true"}]}""")]
    public void An_inventory_that_holds_a_password_is_refused_without_echoing_it(string text)
    {
        var error = Refused(text);
        Assert.Contains("environment variable", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host=a\nhost=a\n", "repeats the name")]
    [InlineData("""{"targets": [{"name": "x", "connectionString": "host=a"}, {"name": "x", "connectionString": "host=b"}]}""", "repeats the name")]
    [InlineData("""{"targets": [{"name": "x"}]}""", "no connectionString")]
    [InlineData("""{"targets": [{"name": "x", "connectionString": "host=a", "timeoutSeconds": 0}]}""", "timeoutSeconds")]
    [InlineData("""{"targets": [{"name": "x", "connectionString": "host=a", "password": "p"}]}""", "not valid JSON")]
    [InlineData("""{"targets": [""", "not valid JSON")]
    [InlineData("host=a\n[bad line\n", "inventory target 2 is not a connection string dbtls recognises")]
    public void Bad_inventories_say_what_is_wrong(string text, string expected) =>
        Assert.Contains(expected, Refused(text), StringComparison.Ordinal);
}
