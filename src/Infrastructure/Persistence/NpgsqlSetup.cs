using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

public static class NpgsqlSetup
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>The one place that says how the context talks to PostgreSQL: used by the app, dotnet-ef and the tests.</summary>
    public static DbContextOptionsBuilder UseCrmPostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable));

    public static DbContextOptionsBuilder<CrmDbContext> UseCrmPostgres(this DbContextOptionsBuilder<CrmDbContext> options, string connectionString)
    {
        ((DbContextOptionsBuilder)options).UseCrmPostgres(connectionString);
        return options;
    }
}
