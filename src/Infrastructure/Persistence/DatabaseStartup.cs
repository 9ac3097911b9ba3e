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
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Database.MigrateAsync(cancellationToken);
        }
        if (configuration.GetValue<bool>("Database:SeedDemoData"))
            await services.GetRequiredService<DemoData>().SeedAsync(cancellationToken);
    }
}
