using System.Reflection;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.ArchitectureTests;

/// <summary>An aggregate changes through its methods, which keep its rules: nothing outside it may set its state.</summary>
public sealed class AggregateEncapsulationTests
{
    [Fact]
    public void No_aggregate_or_entity_of_the_domain_has_a_public_setter()
    {
        var offenders = Layers.TypesOf(Layers.Domain)
            .Where(t => t.IsClass && (t.IsAssignableTo(typeof(Entity)) || t.IsAssignableTo(typeof(AggregateRoot))))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => p.SetMethod is { IsPublic: true })
                .Select(p => $"{t.Name}.{p.Name}"))
            .ToList();

        Assert.True(offenders.Count == 0, "Public setters on domain types: " + string.Join(", ", offenders));
        Assert.Contains(Layers.TypesOf(Layers.Domain), t => t.IsAssignableTo(typeof(AggregateRoot)) && !t.IsAbstract);
    }
}
