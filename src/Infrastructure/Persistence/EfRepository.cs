using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Infrastructure.Persistence.Interceptors;
using CrmTenancy.Domain.Common;
using CrmTenancy.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Reads through specifications and stages writes on the context; it never saves (the transaction behaviour
/// does, once per command). A tenant-owned type is read only through a specification scoped to the current tenant.
/// </summary>
public sealed class EfRepository<T>(CrmDbContext db, ITenantContext tenant, Preconditions preconditions)
    : IRepository<T>
    where T : class
{
    private static readonly bool IsTenantOwned = typeof(ITenantOwned).IsAssignableFrom(typeof(T));

    public Task<T?> FirstOrDefaultAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        Query(specification).FirstOrDefaultAsync(cancellationToken);

    public Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        Query(specification).ToListAsync(cancellationToken);

    public Task<bool> AnyAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        Query(specification, criteriaOnly: true).AnyAsync(cancellationToken);

    public Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        Query(specification, criteriaOnly: true).CountAsync(cancellationToken);

    public async Task<Dictionary<TKey, int>> CountByAsync<TKey>(
        ISpecification<T> specification, System.Linq.Expressions.Expression<Func<T, TKey>> key, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var counts = await Query(specification, criteriaOnly: true).AsNoTracking().GroupBy(key)
            .Select(group => new { group.Key, Count = group.Count() })
            .ToListAsync(cancellationToken);
        return counts.ToDictionary(c => c.Key, c => c.Count);
    }

    public Task<TDto?> ProjectFirstOrDefaultAsync<TDto>(ISpecification<T> specification, CancellationToken cancellationToken)
        where TDto : IProjection<T, TDto>
    {
        // A read by id with nothing but the tenant in its criteria (no owner scope): the query compiled once.
        if (specification is IReadsOneById byId && tenant.OwnerScope is null && specification.GetType() == ReadByIdType
            && IsOnlyTenantAndId(specification))
        {
            EnsureTenantScoped(specification);
            return CompiledReadById<T, TDto>.Query(db, byId.TenantId, byId.Id, cancellationToken);
        }
        return Query(specification).AsNoTracking().Select(Projection<T, TDto>.Selector).FirstOrDefaultAsync(cancellationToken);
    }

    public Task<List<TDto>> ProjectListAsync<TDto>(ISpecification<T> specification, CancellationToken cancellationToken)
        where TDto : IProjection<T, TDto> =>
        Query(specification).AsNoTracking().Select(Projection<T, TDto>.Selector).ToListAsync(cancellationToken);

    public Task<List<TDto>> ProjectPageAndNextAsync<TDto>(ISpecification<T> specification, CancellationToken cancellationToken)
        where TDto : IProjection<T, TDto>
    {
        if (!(specification.Take >= 0))
            return ProjectListAsync<TDto>(specification, cancellationToken);
        // The specification's criteria and order, then its page with one row more (Skip and Take as parameters).
        var query = Query(specification, paged: false);
        if (specification.Skip > 0)
            query = query.Skip(specification.Skip);
        return query.Take(specification.Take + 1).AsNoTracking().Select(Projection<T, TDto>.Selector).ToListAsync(cancellationToken);
    }

    public void Add(T entity) => db.Set<T>().Add(entity);

    public void Remove(T entity) => db.Set<T>().Remove(entity);

    public void ExpectVersion(T entity, int? expectedVersion)
    {
        if (expectedVersion is not { } expected || entity is not AggregateRoot aggregate)
            return;
        preconditions.Given = true;
        if (aggregate.Version != expected)
            throw new PreconditionFailedException(typeof(T).Name);
        db.Entry(entity).Property(nameof(AggregateRoot.Version)).OriginalValue = expected;
    }

    public async Task LockAsync(Guid id, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A row lock is held by the command's transaction; none is open.");
        var table = db.Model.FindEntityType(typeof(T))?.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        var sql = "SELECT 1 FROM " + table + " WHERE id = {0} AND tenant_id = {1} FOR UPDATE";
        await db.Database.ExecuteSqlRawAsync(sql, [id, tenant.TenantId], cancellationToken);
    }

    public async Task LockKeyAsync(string key, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A key lock is held by the command's transaction; none is open.");
        var table = db.Model.FindEntityType(typeof(T))?.GetTableName()
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped to a table.");
        // A transaction-scoped advisory lock on a 64-bit hash: two keys that collide only wait for each other.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended({0}, 0))",
            [$"{table}:{tenant.TenantId}:{key}"], cancellationToken);
    }

    private IQueryable<T> Query(ISpecification<T> specification, bool criteriaOnly = false, bool paged = true)
    {
        EnsureTenantScoped(specification);
        // Without an owner scope the owner filter is true for every row: left out, the statement has one shape that
        // PostgreSQL can plan once (a generic plan), instead of "$n OR owner_id ..." planned anew on every execution.
        var source = tenant.OwnerScope is null ? db.Set<T>().IgnoreQueryFilters([CrmDbContext.OwnerFilter]) : db.Set<T>();
        var query = (paged ? EfSpecificationEvaluator.Default : EfSpecificationEvaluator.Unpaged).GetQuery(source, specification, criteriaOnly);
        return specification is ILocksForChange && !criteriaOnly && db.Database.CurrentTransaction is not null
            ? query.TagWith(RowLockInterceptor.Tag)
            : query;
    }

    /// <summary>
    /// A read by id as its constructor made it: the tenant criterion and the id, nothing added since through its public
    /// builder (which the compiled query would silently leave out).
    /// </summary>
    private static bool IsOnlyTenantAndId(ISpecification<T> specification) =>
        specification.WhereExpressions.Count() == 2 && !specification.OrderExpressions.Any()
        && !(specification.Skip > 0) && !(specification.Take >= 0);

    private void EnsureTenantScoped(ISpecification<T> specification)
    {
        if (!IsTenantOwned)
            return;
        if (specification is not ITenantScopedSpecification scoped)
            throw new InvalidOperationException(
                $"{specification.GetType().Name} reads the tenant-owned {typeof(T).Name} without a tenant scope; derive it from TenantSpecification<{typeof(T).Name}>.");
        if (scoped.TenantId != tenant.TenantId)
            throw new InvalidOperationException($"{specification.GetType().Name} is scoped to another tenant than the current one.");
        if (IsOwnedRecord && scoped.OwnerScope != tenant.OwnerScope)
            throw new InvalidOperationException($"{specification.GetType().Name} was built for another record visibility than the caller's.");
    }

    private static readonly bool IsOwnedRecord = typeof(Domain.Common.IOwnedRecord).IsAssignableFrom(typeof(T));

    /// <summary>The one specification whose criteria the compiled read by id reproduces (it is sealed).</summary>
    private static readonly Type? ReadByIdType = typeof(AggregateRoot).IsAssignableFrom(typeof(T)) && IsTenantOwned
        ? typeof(ReadByIdSpecification<>).MakeGenericType(typeof(T))
        : null;
}
