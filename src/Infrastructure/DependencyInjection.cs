using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmTenancy.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var connections = DatabaseConnections.From(configuration);
        services.AddSingleton(connections);

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<TenantAuditInterceptor>();
        services.AddScoped<TenantConnectionInterceptor>();
        services.AddDbContext<CrmDbContext>((sp, options) => options
            .UseCrmPostgres(connections.App)
            .AddInterceptors(sp.GetRequiredService<TenantAuditInterceptor>(), sp.GetRequiredService<TenantConnectionInterceptor>()));
        services.AddSingleton<DbContexts>();
        services.AddSingleton<PlatformDb>();
        services.AddScoped<IPlatformReadStore, PlatformReadStore>();
        services.AddSingleton<ITenantJobRunner, TenantJobRunner>();
        services.AddScoped<JobScope>();
        services.AddScoped(typeof(IReadRepository<>), typeof(EfRepository<>));
        services.AddScoped(typeof(IRepository<>), typeof(EfRepository<>));
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddScoped<Preconditions>();

        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section));
        services.AddSingleton<ISigningKeySource, DatabaseSigningKeySource>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddScoped<ClientCredentialsGrant>();
        services.AddSingleton<DemoData>();
        return services;
    }
}
