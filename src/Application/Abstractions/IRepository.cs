using Ardalis.Specification;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Paging;

namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// Reads through specifications only. For a tenant-owned <typeparamref name="T"/> the implementation refuses a
/// specification that is not tenant-scoped for the current tenant.
/// </summary>
public interface IReadRepository<T> where T : class
{
    Task<T?> FirstOrDefaultAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    Task<bool> AnyAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    /// <summary>Counts what the specification matches, ignoring its ordering and paging.</summary>
    Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    /// <summary>
    /// Counts what the specification matches per value of <paramref name="key"/>, in one aggregate statement (its
    /// ordering and paging ignored); values without a match are absent.
    /// </summary>
    Task<Dictionary<TKey, int>> CountByAsync<TKey>(ISpecification<T> specification, System.Linq.Expressions.Expression<Func<T, TKey>> key, CancellationToken cancellationToken)
        where TKey : notnull;

    /// <summary>Projects to a DTO in SQL (no-tracking); the aggregate is never materialised.</summary>
    Task<TDto?> ProjectFirstOrDefaultAsync<TDto>(ISpecification<T> specification, CancellationToken cancellationToken)
        where TDto : IProjection<T, TDto>;

    Task<List<TDto>> ProjectListAsync<TDto>(ISpecification<T> specification, CancellationToken cancellationToken)
        where TDto : IProjection<T, TDto>;

    /// <summary>
    /// Like <see cref="ProjectListAsync{TDto}"/>, with one row more than the specification's page size when there is
    /// one: what tells whether another page follows without counting.
    /// </summary>
    Task<List<TDto>> ProjectPageAndNextAsync<TDto>(ISpecification<T> specification, CancellationToken cancellationToken)
        where TDto : IProjection<T, TDto>;
}

/// <summary>Writes are staged on the unit of work; the transaction behaviour saves once per command.</summary>
public interface IRepository<T> : IReadRepository<T> where T : class
{
    void Add(T entity);

    void Remove(T entity);

    /// <summary>
    /// Honours an If-Match precondition: fails at once if <paramref name="entity"/> is not at
    /// <paramref name="expectedVersion"/>, and makes the save fail if the row changed in between.
    /// </summary>
    void ExpectVersion(T entity, int? expectedVersion);

    /// <summary>
    /// Locks the row of <paramref name="id"/> of the current tenant until the command commits (SELECT ... FOR UPDATE):
    /// commands that take the same lock first run one after the other. Needs the command's transaction.
    /// </summary>
    Task LockAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Serialises the current tenant's commands on a value of <typeparamref name="T"/> that may have no row yet (a
    /// lead's email before its lead exists): a lock on (table, tenant, <paramref name="key"/>) held until the command
    /// commits. Needs the command's transaction.
    /// </summary>
    Task LockKeyAsync(string key, CancellationToken cancellationToken);
}

public static class ReadRepositoryExtensions
{
    /// <summary>
    /// A page of DTOs (read with one row more, which says whether another page follows) and the total count of
    /// matches: known without counting when the matches end on this page; otherwise counted in a second query, except
    /// for a search (<see cref="ISearchingSpecification"/>), whose total is then null.
    /// </summary>
    public static async Task<PagedResult<TDto>> ProjectPageAsync<T, TDto>(
        this IReadRepository<T> repository, ISpecification<T> specification, CancellationToken cancellationToken)
        where T : class
        where TDto : IProjection<T, TDto>
    {
        var rows = await repository.ProjectPageAndNextAsync<TDto>(specification, cancellationToken);
        return await PagedResult<TDto>.FromRowsAsync(rows, specification.Skip, specification.Take, async () =>
            specification is ISearchingSpecification { Searches: true } ? null : await repository.CountAsync(specification, cancellationToken));
    }
}
