using System.Linq.Expressions;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Mapping;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// Finds a saved entity among the request context's tracked ones (after SaveChanges they are Unchanged and carry what
/// the database holds: the version and audit stamps are set before the save) and maps it with the DTO's own projection,
/// compiled once per DTO. Only after the command's transaction has ended: inside it nothing is committed yet.
/// </summary>
public sealed class CommittedResources(CrmDbContext db) : ICommittedResources
{
    public TDto? Find<TEntity, TDto>(Guid id) where TEntity : class where TDto : class, IProjection<TEntity, TDto>
    {
        if (db.Database.CurrentTransaction is not null)
            return null;
        foreach (var entry in db.ChangeTracker.Entries<TEntity>())
        {
            if (entry.State == EntityState.Unchanged
                && entry.Metadata.FindPrimaryKey() is { Properties: [var key] }
                && entry.Property(key.Name).CurrentValue is Guid entityId && entityId == id)
                return InMemoryProjection<TEntity, TDto>.Map(entry.Entity);
        }
        return null;
    }

    /// <summary>The DTO's SQL projection (a Select over the entity) as a compiled delegate over one object.</summary>
    private static class InMemoryProjection<TEntity, TDto> where TDto : IProjection<TEntity, TDto>
    {
        public static readonly Func<TEntity, TDto> Map = Compile();

        private static Func<TEntity, TDto> Compile()
        {
            var query = TDto.ProjectFrom(Array.Empty<TEntity>().AsQueryable()).Expression;
            if (query is MethodCallExpression { Method.Name: nameof(Queryable.Select), Arguments: [_, UnaryExpression { Operand: Expression<Func<TEntity, TDto>> select }] })
                return select.Compile();
            return entity => TDto.ProjectFrom(new[] { entity }.AsQueryable()).First();
        }
    }
}
