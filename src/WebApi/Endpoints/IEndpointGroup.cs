using System.Reflection;
using CrmTenancy.WebApi.Http;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// A module's endpoints; every implementation in this assembly is mapped at start-up, under one root group that adds
/// the house's request rules (<see cref="StrictQuery"/>) to every endpoint.
/// </summary>
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
        var root = app.MapGroup("");
        ((IEndpointConventionBuilder)root).Add(StrictQuery.Apply);
        foreach (var group in groups)
            group.GetMethod(nameof(IEndpointGroup.Map), BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [root]);
        return app;
    }
}
