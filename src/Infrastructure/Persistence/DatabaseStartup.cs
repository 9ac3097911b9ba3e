using Microsoft.Extensions.Logging;
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
        await WarnIfSearchIsUnindexedAsync(services, cancellationToken);
    }

    /// <summary>
    /// The customer search is index-served only where <c>textlike</c> is marked LEAKPROOF (docs/decisions/0020): a
    /// migration by a non-superuser, or a dump restored elsewhere, leaves it unmarked, and searches then scan. Said at
    /// start-up, where an operator sees it; a database that cannot be asked now is not this check's concern.
    /// </summary>
    private static async Task WarnIfSearchIsUnindexedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        try
        {
            await using var db = services.GetRequiredService<DbContexts>().Platform();
            var leakproof = await db.Database
                .SqlQueryRaw<bool>("SELECT proleakproof AS \"Value\" FROM pg_proc WHERE oid = 'textlike(text, text)'::regprocedure")
                .SingleAsync(cancellationToken);
            if (!leakproof)
                logger.LogWarning("Customer search is not index-served: have a superuser run ALTER FUNCTION textlike(text, text) LEAKPROOF; in this database (docs/decisions/0020).");
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogDebug(exception, "Could not ask the database whether the customer search is index-served.");
        }
    }
}
