using Ardalis.Specification;
using System.Reflection;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;
using MediatR;

namespace CrmTenancy.ArchitectureTests;

/// <summary>The code-level tenant isolation rules: how handlers, specifications and entities are shaped.</summary>
public sealed class TenancyRuleTests
{
    private static bool IsTenantOwned(Type type) => typeof(ITenantOwned).IsAssignableFrom(type);

    /// <summary>The T of an IReadRepository&lt;T&gt; or IRepository&lt;T&gt; parameter, or null for any other parameter.</summary>
    private static Type? RepositoryEntity(Type parameterType)
    {
        if (!parameterType.IsGenericType)
            return null;
        var definition = parameterType.GetGenericTypeDefinition();
        return definition == typeof(IReadRepository<>) || definition == typeof(IRepository<>)
            ? parameterType.GetGenericArguments()[0]
            : null;
    }

    [Fact]
    public void Every_handler_that_reads_or_writes_tenant_owned_data_takes_the_tenant_context()
    {
        var handlers = Layers.ConcreteClassesOf(Layers.Application)
            .Where(t => Layers.ClosedInterfaces(t, typeof(IRequestHandler<,>)).Any())
            .ToList();
        Assert.NotEmpty(handlers);

        var checkedConstructors = 0;
        var offenders = new List<string>();
        foreach (var handler in handlers)
        {
            foreach (var constructor in handler.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                var parameters = constructor.GetParameters();
                var tenantRepositories = parameters
                    .Select(p => RepositoryEntity(p.ParameterType))
                    .Where(entity => entity is not null && IsTenantOwned(entity))
                    .ToList();
                if (tenantRepositories.Count == 0)
                    continue;
                checkedConstructors++;
                if (!parameters.Any(p => p.ParameterType == typeof(ITenantContext)))
                    offenders.Add($"{handler.FullName}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))})");
            }
        }

        Assert.True(checkedConstructors > 0, "No handler takes a repository of tenant-owned data; the rule checked nothing.");
        Assert.True(offenders.Count == 0,
            "These handlers use a tenant-owned repository without ITenantContext:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Every_specification_of_tenant_owned_data_derives_from_the_tenant_specification()
    {
        var specifications = Layers.ConcreteClassesOf(Layers.Application)
            .Select(t => (Type: t, Base: Layers.ClosedBase(t, typeof(Specification<>))))
            .Where(s => s.Base is not null && IsTenantOwned(s.Base.GetGenericArguments()[0]))
            .ToList();
        Assert.NotEmpty(specifications);

        var offenders = specifications
            .Where(s => Layers.ClosedBase(s.Type, typeof(TenantSpecification<>)) is null)
            .Select(s => s.Type.FullName)
            .ToList();
        Assert.True(offenders.Count == 0,
            "These specifications of tenant-owned data bypass TenantSpecification<T>:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Every_tenant_owned_type_has_a_public_guid_tenant_id_property()
    {
        var owned = Layers.TypesOf(Layers.Domain)
            .Where(t => !t.IsInterface && IsTenantOwned(t))
            .ToList();
        Assert.NotEmpty(owned);

        Assert.All(owned, type =>
        {
            var property = type.GetProperty(nameof(ITenantOwned.TenantId), BindingFlags.Public | BindingFlags.Instance);
            Assert.True(property is not null, $"{type.FullName} has no public TenantId property.");
            Assert.Equal(typeof(Guid), property.PropertyType);
            Assert.True(property.GetMethod?.IsPublic == true, $"{type.FullName}.TenantId has no public getter.");
        });
    }
}
