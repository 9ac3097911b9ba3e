using System.Reflection;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>A module's endpoints; every implementation in this assembly is mapped at start-up.</summary>
public interface IEndpointGroup
{
    static abstract void Map(IEndpointRouteBuilder app);
}

public static class EndpointGroupExtensions
{
    public static IEndpointRouteBuilder MapEndpointGroups(this IEndpointRouteBuilder app)
    {
        var groups = typeof(IEndpointGroup).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && t.IsAssignableTo(typeof(IEndpointGroup)));
        foreach (var group in groups)
            group.GetMethod(nameof(IEndpointGroup.Map), BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [app]);
        return app;
    }
}
