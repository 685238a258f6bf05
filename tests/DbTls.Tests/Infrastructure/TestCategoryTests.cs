using System.Reflection;

namespace DbTls.Tests.Infrastructure;

/// <summary>
/// The unit run (<c>Category!=Integration</c>, scripts/test-unit.sh) must start no server. Test classes
/// usually start theirs in the test body, which reflection cannot see; but a class that gets a server
/// from a fixture (a class or collection fixture whose type comes from the Servers folder or starts
/// something in <see cref="IAsyncLifetime.InitializeAsync"/>) can be checked, and is, here.
/// </summary>
public sealed class TestCategoryTests
{
    private static readonly Assembly Tests = typeof(TestCategoryTests).Assembly;

    private static readonly Dictionary<string, Type[]> CollectionFixtures = Tests.GetTypes()
        .Select(t => (Type: t, Name: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CollectionDefinitionAttribute))?.ConstructorArguments[0].Value as string))
        .Where(d => d.Name is not null)
        .ToDictionary(d => d.Name!, d => FixtureTypes(d.Type).ToArray(), StringComparer.Ordinal);

    [Fact]
    public void Every_test_class_with_a_server_fixture_is_integration()
    {
        var offenders = TestClasses().Where(c => !IsIntegration(c) && ServerFixturesOf(c).Any()).Select(c => c.FullName).ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_check_sees_server_fixtures_and_traits()
    {
        // Guards the guard: a class on the PostgreSQL collection, one with a class fixture, and this plain one.
        Assert.Contains(typeof(Servers.Postgres.Postgres15Fixture), ServerFixturesOf(typeof(Servers.Postgres.Postgres15HarnessTests)));
        Assert.Contains(typeof(Golden.GoldenFixture), ServerFixturesOf(typeof(Golden.GoldenReportTests)));
        Assert.Empty(ServerFixturesOf(typeof(TestCategoryTests)));
        Assert.True(IsIntegration(typeof(Golden.GoldenReportTests)));
        Assert.False(IsIntegration(typeof(TestCategoryTests)));
    }

    private static IEnumerable<Type> ServerFixturesOf(Type testClass)
    {
        var collection = testClass.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CollectionAttribute))?.ConstructorArguments[0].Value as string;
        var shared = collection is not null && CollectionFixtures.TryGetValue(collection, out var fixtures) ? fixtures : [];
        return FixtureTypes(testClass).Concat(shared).Where(StartsAServer).Distinct();
    }

    private static IEnumerable<Type> TestClasses() =>
        Tests.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } &&
            t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()));

    private static bool IsIntegration(Type type) =>
        type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute) &&
            a.ConstructorArguments is [{ Value: "Category" }, { Value: "Integration" }]);

    /// <summary>The fixture types of a class: IClassFixture/ICollectionFixture arguments and constructor parameters.</summary>
    private static IEnumerable<Type> FixtureTypes(Type type) =>
        type.GetInterfaces()
            .Where(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IClassFixture<>) || i.GetGenericTypeDefinition() == typeof(ICollectionFixture<>)))
            .Select(i => i.GetGenericArguments()[0])
            .Concat(type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType));

    private static bool StartsAServer(Type fixture) =>
        typeof(IAsyncLifetime).IsAssignableFrom(fixture) ||
        (fixture.Namespace ?? "").StartsWith("DbTls.Tests.Servers", StringComparison.Ordinal) && !fixture.Name.Contains("Certificates", StringComparison.Ordinal);
}
