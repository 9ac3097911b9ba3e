using System.Linq.Expressions;
using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Application.Common.Specifications;

/// <summary>A specification bound to one tenant; the repository accepts nothing else for tenant-owned types.</summary>
public interface ITenantScopedSpecification
{
    Guid TenantId { get; }

    /// <summary>The owner scope the specification was built with (see <see cref="ITenantContext.OwnerScope"/>).</summary>
    Guid? OwnerScope { get; }
}

/// <summary>
/// The primary isolation lock: an Ardalis.Specification <see cref="Specification{T}"/> whose constructor adds
/// <c>TenantId == tenant</c> before anything else, so no derived specification can forget it. The tenant is read through a closure, which EF Core sends as a
/// query parameter (one cached plan for every tenant, never a constant baked into it).
/// </summary>
public abstract class TenantSpecification<T> : Specification<T>, ITenantScopedSpecification
    where T : class, ITenantOwned
{
    protected TenantSpecification(ITenantContext tenant)
    {
        TenantId = tenant.TenantId;
        Query.Where(TenantCriterion(TenantId));
        // Record visibility sits next to the tenant criterion, so lists, search, get, update and delete all obey it. A
        // record shared with the tenant is read by every member, and changed only by its owner or assignee: a
        // specification that loads rows to change them (ILocksForChange) leaves shared records out.
        if (typeof(IOwnedRecord).IsAssignableFrom(typeof(T)) && tenant.OwnerScope is { } owner)
        {
            OwnerScope = owner;
            Query.Where(OwnerCriterion(owner, includeShared: this is not ILocksForChange));
        }
    }

    public Guid TenantId { get; }

    public Guid? OwnerScope { get; }

    /// <summary>
    /// <c>e.OwnerId == user || e.AssigneeId == user</c> (and <c>|| e.Shared</c> for reading), the user sent as a
    /// parameter like the tenant.
    /// </summary>
    private static Expression<Func<T, bool>> OwnerCriterion(Guid userId, bool includeShared)
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var user = Expression.Convert(
            Expression.Property(Expression.Constant(new TenantParameter(userId)), nameof(TenantParameter.Value)), typeof(Guid?));
        Expression body = Expression.OrElse(
            Expression.Equal(Expression.Property(entity, nameof(IOwnedRecord.OwnerId)), user),
            Expression.Equal(Expression.Property(entity, nameof(IOwnedRecord.AssigneeId)), user));
        if (includeShared)
            body = Expression.OrElse(body, Expression.Property(entity, nameof(IOwnedRecord.Shared)));
        return Expression.Lambda<Func<T, bool>>(body, entity);
    }

    private static Expression<Func<T, bool>> TenantCriterion(Guid tenantId)
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var tenant = Expression.Property(Expression.Constant(new TenantParameter(tenantId)), nameof(TenantParameter.Value));
        var body = Expression.Equal(Expression.Property(entity, nameof(ITenantOwned.TenantId)), tenant);
        return Expression.Lambda<Func<T, bool>>(body, entity);
    }

    private sealed record TenantParameter(Guid Value);
}

/// <summary>One tenant-owned aggregate by id, tracked for a command to change it.</summary>
public sealed class ByIdSpecification<T> : TenantSpecification<T>, ILocksForChange where T : AggregateRoot, ITenantOwned
{
    public ByIdSpecification(ITenantContext tenant, Guid id) : base(tenant) => Query.Where(e => e.Id == id);
}

/// <summary>
/// One tenant-owned aggregate by id, for a projection to a DTO. Its criteria are fixed (the tenant, the caller's owner
/// scope, the id), so a repository may answer it with a query compiled once per type instead of evaluating it.
/// </summary>
public sealed class ReadByIdSpecification<T> : TenantSpecification<T>, IReadsOneById where T : AggregateRoot, ITenantOwned
{
    public ReadByIdSpecification(ITenantContext tenant, Guid id) : base(tenant)
    {
        Id = id;
        Query.Where(e => e.Id == id).AsNoTracking();
    }

    public Guid Id { get; }
}

/// <summary>A specification that reads one row of the current tenant by its id, and nothing else.</summary>
public interface IReadsOneById : ITenantScopedSpecification
{
    Guid Id { get; }
}

/// <summary>
/// A specification whose rows a command is about to change: inside the command's transaction they are read with a row
/// lock (FOR NO KEY UPDATE), so two changes of one row run one after the other, each on what the other committed,
/// instead of both reading it and one failing at the save. Conditional changes (If-Match) still compare versions.
/// </summary>
public interface ILocksForChange;
