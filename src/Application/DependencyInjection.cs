using System.Reflection;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Behaviours;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Application;

public static class DependencyInjection
{
    /// <summary>
    /// Registers MediatR 5 by scanning (its DI package is not available here), the pipeline in order
    /// (first registered is outermost), and the validators of this assembly
    /// (FluentValidation's own scanning). DTO mappings are Mapperly source-generated code: nothing to register.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = typeof(DependencyInjection).Assembly;

        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        foreach (var (service, implementation) in ClosedImplementations(assembly, typeof(IRequestHandler<,>), typeof(INotificationHandler<>)))
            services.AddTransient(service, implementation);

        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TenantGuardBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(CompanyReferenceBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TransactionBehaviour<,>));

        services.AddScoped<Abstractions.IRecordDirectory, Activities.RecordDirectory>();
        // Every customer recommendation rule of the assembly: a new rule is a new class.
        foreach (var rule in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false }
                     && typeof(Recommendations.IRecommendationRule).IsAssignableFrom(t)))
            services.AddSingleton(typeof(Recommendations.IRecommendationRule), rule);

        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Transient, includeInternalTypes: true);
        return services.AddServiceModules(assembly);
    }

    private static IEnumerable<(Type Service, Type Implementation)> ClosedImplementations(Assembly assembly, params Type[] openInterfaces) =>
        from type in assembly.GetTypes()
        where type is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }
        from service in type.GetInterfaces()
        where service.IsGenericType && openInterfaces.Contains(service.GetGenericTypeDefinition())
        select (service, type);
}
