using CrmTenancy.Application.Common.Mapping;

namespace CrmTenancy.Application.Abstractions;

/// <summary>
/// The resources the request's commands committed, as their DTOs: mapped in memory from the saved entity with the same
/// projection a query runs in SQL, so the answer is the row as committed (its new version included).
/// </summary>
public interface ICommittedResources
{
    /// <summary>
    /// The DTO of the <typeparamref name="TEntity"/> with this id that a command of this request saved and committed;
    /// null when there is none (nothing committed it, or a transaction is still open).
    /// </summary>
    TDto? Find<TEntity, TDto>(Guid id) where TEntity : class where TDto : class, IProjection<TEntity, TDto>;
}
