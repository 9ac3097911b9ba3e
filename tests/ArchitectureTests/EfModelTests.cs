using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmTenancy.ArchitectureTests;

/// <summary>
/// The tenant rules of the persistence model (docs/decisions/0013), read from the EF Core model the context builds.
/// No database is needed: the model is built from the configurations alone.
/// </summary>
public sealed class EfModelTests
{
    private const string TenantId = nameof(ITenantOwned.TenantId);

    /// <summary>The filter's name is a contract: code passes it to IgnoreQueryFilters(["..."]), so it is spelled out here.</summary>
    private const string TenantFilterName = "Tenant";
    private static readonly Lazy<IModel> LazyModel = new(BuildModel);

    private static IModel Model => LazyModel.Value;

    private static IModel BuildModel()
    {
        using var context = new CrmDbContext(new DbContextOptionsBuilder<CrmDbContext>().UseNpgsql("Host=unused").Options);
        return context.Model;
    }

    private static bool IsTenantOwned(IReadOnlyTypeBase type) => typeof(ITenantOwned).IsAssignableFrom(type.ClrType);

    private static List<IEntityType> TenantOwnedEntities()
    {
        var entities = Model.GetEntityTypes().Where(IsTenantOwned).ToList();
        Assert.NotEmpty(entities);
        return entities;
    }

    private static string Names(IEnumerable<IReadOnlyProperty> properties) => string.Join(", ", properties.Select(p => p.Name));

    [Fact]
    public void Every_tenant_owned_domain_type_is_mapped()
    {
        var owned = Layers.TypesOf(Layers.Domain).Where(t => t is { IsInterface: false, IsAbstract: false } && typeof(ITenantOwned).IsAssignableFrom(t)).ToList();
        Assert.NotEmpty(owned);

        var mapped = Model.GetEntityTypes().Select(e => e.ClrType).ToHashSet();
        Assert.All(owned, type => Assert.True(mapped.Contains(type), $"{type.FullName} is tenant-owned but not in the EF model."));
    }

    [Fact]
    public void Every_tenant_owned_entity_has_the_named_tenant_query_filter()
    {
        Assert.All(TenantOwnedEntities(), entity =>
        {
            // A derived type inherits the root's filters; the root must declare the named one.
            var root = entity.GetRootType();
            var filter = root.GetDeclaredQueryFilters().SingleOrDefault(f => f.Key == TenantFilterName);
            Assert.True(filter is not null, $"{entity.DisplayName()} has no query filter named '{TenantFilterName}'.");
            Assert.False(filter.IsAnonymous);
            Assert.Contains(TenantId, filter.Expression!.ToString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Every_tenant_owned_entity_has_an_alternate_key_on_tenant_id_and_id()
    {
        // An entity keyed by its tenant first (idempotency records: tenant, caller, key) has no id for others to refer to.
        Assert.All(TenantOwnedEntities().Where(e => e.FindPrimaryKey()?.Properties[0].Name != TenantId), entity =>
        {
            var keys = entity.GetKeys().Where(k => !k.IsPrimaryKey()).Select(k => Names(k.Properties)).ToList();
            Assert.True(keys.Contains($"{TenantId}, Id"),
                $"{entity.DisplayName()} has no alternate key ({TenantId}, Id); its alternate keys: [{string.Join("; ", keys)}].");
        });
    }

    [Fact]
    public void Every_foreign_key_between_tenant_owned_entities_is_composite_and_leads_with_tenant_id()
    {
        var foreignKeys = TenantOwnedEntities()
            .SelectMany(e => e.GetForeignKeys())
            .Where(fk => IsTenantOwned(fk.PrincipalEntityType))
            .ToList();
        Assert.NotEmpty(foreignKeys);

        Assert.All(foreignKeys, fk =>
        {
            var description = $"{fk.DeclaringEntityType.DisplayName()}({Names(fk.Properties)}) -> {fk.PrincipalEntityType.DisplayName()}({Names(fk.PrincipalKey.Properties)})";
            Assert.True(fk.Properties.Count > 1, $"{description} is not composite.");
            Assert.True(fk.Properties[0].Name == TenantId, $"{description} does not lead with {TenantId}.");
            Assert.True(fk.PrincipalKey.Properties[0].Name == TenantId, $"{description} does not reference the principal's {TenantId}.");
        });
    }

    [Fact]
    public void Every_index_of_a_tenant_owned_entity_leads_with_tenant_id()
    {
        var indexes = TenantOwnedEntities().SelectMany(e => e.GetIndexes()).ToList();
        Assert.NotEmpty(indexes);

        Assert.All(indexes, index => Assert.True(index.Properties[0].Name == TenantId,
            $"The index ({Names(index.Properties)}) of {index.DeclaringEntityType.DisplayName()} does not lead with {TenantId}."));
    }

    /// <summary>
    /// The repository reads every DTO through one selector taken from its projection once per type (and the read by id
    /// through a query compiled from it); a projection that is not a single Select over its source fails here, not at
    /// a request.
    /// </summary>
    [Fact]
    public void Every_dto_projection_is_one_selector_the_repository_reuses()
    {
        var projections = typeof(Application.DependencyInjection).Assembly.GetTypes()
            .SelectMany(type => type.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Application.Common.Mapping.IProjection<,>))
                .Select(i => i.GetGenericArguments()))
            .ToList();
        Assert.NotEmpty(projections);
        var projection = typeof(CrmDbContext).Assembly.GetType("CrmTenancy.Infrastructure.Persistence.Projection`2", throwOnError: true)!;
        foreach (var arguments in projections)
        {
            var selector = projection.MakeGenericType(arguments).GetField("Selector")!.GetValue(null);
            var lambda = Assert.IsAssignableFrom<System.Linq.Expressions.LambdaExpression>(selector);
            Assert.Equal(arguments[0], lambda.Parameters.Single().Type);
            Assert.Equal(arguments[1], lambda.ReturnType);
        }
    }
}
