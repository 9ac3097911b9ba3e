using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Common.Mapping;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Application.Common;

public static class RepositoryExtensions
{
    /// <summary>
    /// Loads a tenant-owned aggregate for a change through its tenant-scoped specification, and applies the
    /// caller's If-Match version. Missing and foreign ids both end in <see cref="NotFoundException"/>.
    /// </summary>
    public static async Task<T> LoadForChangeAsync<T>(
        this IRepository<T> repository, ITenantContext tenant, Guid id, int? expectedVersion, CancellationToken cancellationToken)
        where T : AggregateRoot, ITenantOwned
    {
        var entity = await repository.FirstOrDefaultAsync(new ByIdSpecification<T>(tenant, id), cancellationToken);
        if (entity is null)
        {
            // A record shared with the tenant that the member neither owns nor is assigned: they may read it, not change it.
            if (tenant.OwnerScope is not null && typeof(IOwnedRecord).IsAssignableFrom(typeof(T))
                && await repository.AnyAsync(new ReadByIdSpecification<T>(tenant, id), cancellationToken))
                throw new ForbiddenException($"This {typeof(T).Name.ToLowerInvariant()} is shared with the team for reading; only its owner, its assignee or an administrator changes it.");
            throw new NotFoundException(typeof(T).Name, id);
        }
        repository.ExpectVersion(entity, expectedVersion);
        return entity;
    }

    /// <summary>Projects one tenant-owned aggregate to its DTO, or throws <see cref="NotFoundException"/>.</summary>
    public static async Task<TDto> GetDtoAsync<T, TDto>(
        this IReadRepository<T> repository, ITenantContext tenant, Guid id, CancellationToken cancellationToken)
        where T : AggregateRoot, ITenantOwned
        where TDto : IProjection<T, TDto> =>
        await repository.ProjectFirstOrDefaultAsync<TDto>(new ReadByIdSpecification<T>(tenant, id), cancellationToken)
        ?? throw new NotFoundException(typeof(T).Name, id);
}
