using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Jobs;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Analytics;

/// <summary>
/// Folds every tally (docs/decisions/0025): every few seconds, each tenant that has delta rows gets them replaced by one
/// row per key, so a read sums a few hundred rows however many writes came before it. The tallies are found in the
/// catalog (a table with <c>tenant_id</c> and <c>folded</c>; its sums carry the comment
/// <see cref="TallyMigrations.SumComment"/>), so a module that adds one (<see cref="TallyMigrations.CreateTally"/>)
/// changes nothing here. The platform role finds the tenants with unfolded rows; each tenant's are folded by a job of
/// that tenant, under row-level security like a request. Each table's fold is one statement: a reader sees the deltas or
/// their sum, never both, and deltas written while it runs (not in its snapshot) stay for the next pass.
/// </summary>
public sealed class DashboardTallyService(
    DbContexts contexts, ITenantJobRunner jobs, IConfiguration configuration, TimeProvider clock, ILogger<DashboardTallyService> logger)
    : PeriodicService(clock, logger, "Folding the tallies", TimeSpan.FromSeconds(configuration.GetValue(IntervalSetting, 10)))
{
    /// <summary>Seconds between passes; 0 turns the background passes off.</summary>
    public const string IntervalSetting = "Dashboard:TallyFoldSeconds";

    private sealed record Tally(string Table, string[] Keys, string[] Sums);

    private sealed record TallyColumnRow(string Table, string Column, bool IsSum);

    private IReadOnlyList<Tally>? _tallies;

    /// <summary>One pass: returns how many tenants were folded.</summary>
    public async Task<int> FoldAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenants;
        IReadOnlyList<Tally> tallies;
        await using (var db = contexts.Platform())
        {
            tallies = _tallies ??= await TalliesAsync(db, cancellationToken);
            if (tallies.Count == 0)
                return 0;
            tenants = await db.Database.SqlQueryRaw<Guid>(
                string.Join(" UNION ", tallies.Select(t => $"SELECT tenant_id AS \"Value\" FROM {t.Table} WHERE NOT folded"))).ToListAsync(cancellationToken);
        }
        var fold = string.Join("\n", tallies.Select(FoldStatement));
        var folded = 0;
        foreach (var tenant in tenants)
        {
            // One tenant's failure is logged and leaves the others to be folded; its deltas wait for the next pass.
            try
            {
                await jobs.RunAsync(tenant, (services, token) =>
                    services.GetRequiredService<CrmDbContext>().Database.ExecuteSqlRawAsync(fold, [tenant], token), cancellationToken);
                folded++;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Folding the tallies of tenant {Tenant} failed; the next pass tries again", tenant);
            }
        }
        return folded;
    }

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => FoldAsync(cancellationToken);

    /// <summary>
    /// The tenant's ({0}) rows of one tally, replaced by one folded row per key in one statement; a tally without a delta
    /// of the tenant's is left as it is.
    /// </summary>
    private static string FoldStatement(Tally tally)
    {
        var keys = string.Join(", ", tally.Keys);
        var sums = string.Join(", ", tally.Sums);
        var sumOf = string.Join(", ", tally.Sums.Select(s => $"sum({s})"));
        var nonZero = string.Join(" OR ", tally.Sums.Select(s => $"sum({s}) <> 0"));
        return $$"""
            WITH moved AS (DELETE FROM {{tally.Table}} WHERE tenant_id = {0}
                           AND EXISTS (SELECT 1 FROM {{tally.Table}} WHERE tenant_id = {0} AND NOT folded) RETURNING {{keys}}, {{sums}})
            INSERT INTO {{tally.Table}} (tenant_id, {{keys}}, {{sums}}, folded)
            SELECT {0}, {{keys}}, {{sumOf}}, true FROM moved
            GROUP BY {{keys}} HAVING {{nonZero}};
            """;
    }

    private static async Task<IReadOnlyList<Tally>> TalliesAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var columns = await db.Database.SqlQuery<TallyColumnRow>($"""
            SELECT c.relname::text AS "Table", a.attname::text AS "Column", coalesce(d.description = {TallyMigrations.SumComment}, false) AS "IsSum"
            FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
            WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
              AND EXISTS (SELECT 1 FROM pg_attribute f WHERE f.attrelid = c.oid AND f.attname = 'folded' AND NOT f.attisdropped)
              AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
              AND a.attname NOT IN ('tenant_id', 'folded')
            ORDER BY c.relname, a.attnum
            """).ToListAsync(cancellationToken);
        return [.. columns.GroupBy(c => c.Table)
            .Select(t => new Tally(t.Key, [.. t.Where(c => !c.IsSum).Select(c => c.Column)], [.. t.Where(c => c.IsSum).Select(c => c.Column)]))
            .Where(t => t.Sums.Length > 0 && t.Keys.Length > 0)];
    }
}
