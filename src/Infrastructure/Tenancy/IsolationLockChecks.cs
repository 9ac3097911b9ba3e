using System.Reflection;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CrmTenancy.Infrastructure.Tenancy;

/// <summary>
/// One check of one isolation lock on one table or type. <c>Covered</c>: tenant A had rows there, so the check could
/// have seen a leak (a check on an empty table passes and proves little).
/// </summary>
public sealed record LockCheck(string Lock, string Target, bool Passed, bool Covered, string Detail);

/// <summary>
/// Each of the three isolation locks checked alone, against two tenants' rows in the live database (docs/decisions/0014):
/// <list type="bullet">
/// <item><b>Row-level security</b>: on the application role bound to B, with no query filter and no specification, every
/// tenant table is read, updated and deleted from by A's tenant id (in a transaction that is rolled back): no row may
/// be reached.</item>
/// <item><b>The EF Core query filter</b>: a context bound to B reads each tenant-owned type over a connection that
/// row-level security binds to A (so only the filter stands between B and A's rows): it must read nothing, while the
/// same context with the filter ignored reads A's rows.</item>
/// <item><b>The specification</b>: A's rows of each aggregate, evaluated in memory by the tenant-scoped by-id
/// specifications built for B, must all be dropped, and kept when built for A.</item>
/// </list>
/// </summary>
public sealed class IsolationLockChecks(DbContexts contexts)
{
    public const string RowLevelSecurity = "rowLevelSecurity";
    public const string QueryFilter = "queryFilter";
    public const string Specification = "specification";

    private const int SampleRows = 50;

    public async Task<IReadOnlyList<LockCheck>> RunAsync(Guid a, Guid b, CancellationToken cancellationToken)
    {
        var checks = new List<LockCheck>();
        await RowLevelSecurityAsync(a, b, checks, cancellationToken);
        await QueryFilterAsync(a, b, checks, cancellationToken);
        await SpecificationsAsync(a, b, checks, cancellationToken);
        return checks;
    }

    private async Task RowLevelSecurityAsync(Guid a, Guid b, List<LockCheck> checks, CancellationToken cancellationToken)
    {
        await using var asA = contexts.Application(Bound(a));
        await using var asB = contexts.Application(Bound(b));
        var connectionA = await OpenAsync(asA, cancellationToken);
        var connectionB = await OpenAsync(asB, cancellationToken);

        var tables = new List<(string Name, bool Update, bool Delete)>();
        await using (var list = new NpgsqlCommand(IsolatedTables, connectionB))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                tables.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2)));
        }

        foreach (var (table, update, delete) in tables)
        {
            var ofA = await CountAsync(connectionA, $"SELECT count(*) FROM {table} WHERE tenant_id = $1", a, cancellationToken);
            var problems = new List<string>();
            var read = await CountAsync(connectionB, $"SELECT count(*) FROM {table} WHERE tenant_id = $1", a, cancellationToken);
            if (read > 0)
                problems.Add($"B read {read} of A's rows");
            await using (var transaction = await connectionB.BeginTransactionAsync(cancellationToken))
            {
                if (update && await ReachedAsync(connectionB, $"UPDATE {table} SET tenant_id = tenant_id WHERE tenant_id = $1", a, cancellationToken) is { } updated)
                    problems.Add($"B's update reached A's rows ({updated})");
                if (delete && await ReachedAsync(connectionB, $"DELETE FROM {table} WHERE tenant_id = $1", a, cancellationToken) is { } deleted)
                    problems.Add($"B's delete reached A's rows ({deleted})");
                await transaction.RollbackAsync(cancellationToken);
            }
            checks.Add(new LockCheck(RowLevelSecurity, table, problems.Count == 0, ofA > 0,
                problems.Count == 0 ? $"A has {ofA} row(s); B reached none (read{(update ? ", update" : "")}{(delete ? ", delete" : "")})" : string.Join("; ", problems)));
        }
    }

    private async Task QueryFilterAsync(Guid a, Guid b, List<LockCheck> checks, CancellationToken cancellationToken)
    {
        await using var db = contexts.Application(Bound(b));
        var connection = await OpenAsync(db, cancellationToken);
        // The connection is row-level-security bound to A while the context's filter is bound to B.
        await using (var bind = new NpgsqlCommand("SELECT set_config('app.tenant_id', $1, false)", connection))
        {
            bind.Parameters.Add(new NpgsqlParameter<string> { TypedValue = a.ToString() });
            await bind.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var type in TenantOwnedTypes(db))
        {
            var counts = (Task<(int Filtered, int Unfiltered)>)CountFiltered.MakeGenericMethod(type).Invoke(null, [db, a, cancellationToken])!;
            var (filtered, unfiltered) = await counts;
            checks.Add(new LockCheck(QueryFilter, type.Name, filtered == 0, unfiltered > 0,
                filtered == 0
                    ? $"A has {unfiltered} row(s) the connection admits; B's filter read none"
                    : $"B's filter read {filtered} of A's {unfiltered} row(s)"));
        }
    }

    private async Task SpecificationsAsync(Guid a, Guid b, List<LockCheck> checks, CancellationToken cancellationToken)
    {
        await using var db = contexts.Application(Bound(a));
        foreach (var type in TenantOwnedTypes(db).Where(t => t.IsAssignableTo(typeof(AggregateRoot))))
        {
            var check = (Task<LockCheck>)CheckSpecifications.MakeGenericMethod(type).Invoke(null, [db, Bound(a), Bound(b), cancellationToken])!;
            checks.Add(await check);
        }
    }

    private static readonly MethodInfo CountFiltered = typeof(IsolationLockChecks).GetMethod(nameof(CountFilteredAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo CheckSpecifications = typeof(IsolationLockChecks).GetMethod(nameof(CheckSpecificationsAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>A's rows of the type as the context bound to B reads them with its filter, and with the filter ignored.</summary>
    private static async Task<(int Filtered, int Unfiltered)> CountFilteredAsync<T>(CrmDbContext db, Guid a, CancellationToken cancellationToken)
        where T : class, ITenantOwned =>
        (await db.Set<T>().AsNoTracking().CountAsync(e => e.TenantId == a, cancellationToken),
            await db.Set<T>().IgnoreQueryFilters([CrmDbContext.TenantFilter]).AsNoTracking().CountAsync(e => e.TenantId == a, cancellationToken));

    private static async Task<LockCheck> CheckSpecificationsAsync<T>(CrmDbContext db, TenantContext a, TenantContext b, CancellationToken cancellationToken)
        where T : AggregateRoot, ITenantOwned
    {
        var rows = await db.Set<T>().AsNoTracking().Take(SampleRows).ToListAsync(cancellationToken);
        var problems = new List<string>();
        foreach (var row in rows)
        {
            if (new ReadByIdSpecification<T>(b, row.Id).Evaluate(rows).Any() || new ByIdSpecification<T>(b, row.Id).Evaluate(rows).Any())
                problems.Add($"B's by-id specification kept A's row {row.Id}");
            if (new ReadByIdSpecification<T>(a, row.Id).Evaluate(rows).Count() != 1)
                problems.Add($"A's by-id specification did not keep A's own row {row.Id}");
        }
        return new LockCheck(Specification, typeof(T).Name, problems.Count == 0, rows.Count > 0,
            problems.Count == 0 ? $"{rows.Count} row(s) of A: B's specifications kept none, A's kept each" : string.Join("; ", problems.Take(5)));
    }

    private static IEnumerable<Type> TenantOwnedTypes(CrmDbContext db) =>
        db.Model.GetEntityTypes()
            .Where(e => !e.IsOwned() && e.GetTableName() is not null && e.ClrType.IsAssignableTo(typeof(ITenantOwned)) && !e.HasSharedClrType)
            .Select(e => e.ClrType)
            .Distinct()
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    private static TenantContext Bound(Guid tenantId)
    {
        var tenant = new TenantContext();
        tenant.Resolve(tenantId);
        return tenant;
    }

    private static async Task<NpgsqlConnection> OpenAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        return (NpgsqlConnection)db.Database.GetDbConnection();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = tenantId } } };
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The rows a write reached (null: none, or the role may not write there at all), or the error that stopped it: with
    /// row-level security holding, the statement meets no row, so no row trigger can refuse it.
    /// </summary>
    private static async Task<string?> ReachedAsync(NpgsqlConnection connection, string sql, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var savepoint = new NpgsqlCommand("SAVEPOINT reach", connection);
        await savepoint.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = tenantId } } };
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            return rows > 0 ? $"{rows} row(s)" : null;
        }
        catch (PostgresException exception)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT reach", connection);
            await rollback.ExecuteNonQueryAsync(cancellationToken);
            return exception.SqlState == PostgresErrorCodes.InsufficientPrivilege ? null : $"refused with {exception.SqlState} {exception.MessageText}";
        }
    }

    /// <summary>
    /// The tables row-level security guards that have a tenant_id column and that the application role may read, with
    /// whether it may update and delete in them.
    /// </summary>
    private const string IsolatedTables = """
        SELECT c.relname::text,
               has_table_privilege(current_user, c.oid, 'UPDATE'),
               has_table_privilege(current_user, c.oid, 'DELETE')
        FROM pg_class c
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND c.relrowsecurity AND c.relnamespace = current_schema()::regnamespace
          AND has_table_privilege(current_user, c.oid, 'SELECT')
        ORDER BY c.relname
        """;
}
