using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application.Common;

/// <summary>
/// A module's own services (a port's adapter, a service its handlers share, a background job), registered by the
/// module instead of in a central list (settings it binds with <c>BindConfiguration</c>): <c>AddApplication</c> and <c>AddInfrastructure</c> create every non-abstract
/// implementation in their assembly and call it once, after their own registrations, so a module may replace one.
/// </summary>
public interface IServiceModule
{
    void Register(IServiceCollection services);
}

public static class ServiceModules
{
    public static IServiceCollection AddServiceModules(this IServiceCollection services, System.Reflection.Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IServiceModule).IsAssignableFrom(t))
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
            ((IServiceModule)Activator.CreateInstance(type)!).Register(services);
        return services;
    }
}
