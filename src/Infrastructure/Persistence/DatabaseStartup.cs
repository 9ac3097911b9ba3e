using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmTenancy.Infrastructure.Persistence;

public static class DatabaseStartup
{
    /// <summary>Applies migrations (Database:Migrate) and seeds the demo tenants (Database:SeedDemoData) when asked to.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (configuration.GetValue<bool>("Database:Migrate"))
        {
            // Migrations run as the owner of the tables; the application itself never connects as the owner.
            await using var owner = services.GetRequiredService<DbContexts>().Owner(new Tenancy.TenantContext(), SystemActor.Instance);
            await owner.Database.MigrateAsync(cancellationToken);
        }
        if (configuration.GetValue<bool>("Database:SeedDemoData"))
            await services.GetRequiredService<DemoData>().SeedAsync(cancellationToken);
    }
}
