using System.Reflection;

namespace CrmTenancy.ArchitectureTests;

/// <summary>
/// The dependency rule of the clean architecture, read from the compiled metadata: each layer's assembly
/// references only the layers inside it and none of the frameworks the outer layers own.
/// </summary>
public sealed class LayerDependencyTests
{
    private static readonly string[] FrameworkPackages =
        ["MediatR", "EntityFrameworkCore", "AutoMapper", "Mapperly", "Ardalis", "FluentValidation", "Npgsql", "AspNetCore", "Swashbuckle"];

    private static List<string> ReferencesOf(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Order(StringComparer.Ordinal).ToList();

    private static bool IsRuntimeAssembly(string name) =>
        name is "netstandard" or "mscorlib" or "System"
        || name.StartsWith("System.", StringComparison.Ordinal)
        || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)
        || name == "Microsoft.CSharp"
        || name == "Microsoft.VisualBasic";

    private static bool Mentions(string assemblyName, string part) =>
        assemblyName.Contains(part, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Domain_references_no_project_and_no_package()
    {
        var references = ReferencesOf(Layers.Domain);

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, r => r.StartsWith("CrmTenancy", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => FrameworkPackages.Any(p => Mentions(r, p)));
        Assert.All(references, r => Assert.True(IsRuntimeAssembly(r), $"The domain references '{r}', which is not a runtime assembly."));
    }

    [Fact]
    public void Application_references_the_domain_but_no_outer_layer_or_persistence_or_web_framework()
    {
        var references = ReferencesOf(Layers.Application);

        Assert.Contains(Layers.Domain.GetName().Name, references);
        Assert.DoesNotContain(Layers.Infrastructure.GetName().Name, references);
        Assert.DoesNotContain(Layers.WebApi.GetName().Name, references);
        foreach (var forbidden in new[] { "EntityFrameworkCore", "Npgsql", "AspNetCore" })
            Assert.DoesNotContain(references, r => Mentions(r, forbidden));
    }

    [Fact]
    public void Infrastructure_does_not_reference_the_web_api()
    {
        var references = ReferencesOf(Layers.Infrastructure);

        Assert.Contains(Layers.Application.GetName().Name, references);
        Assert.DoesNotContain(Layers.WebApi.GetName().Name, references);
    }
}
