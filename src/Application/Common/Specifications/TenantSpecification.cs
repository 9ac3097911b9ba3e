using System.Linq.Expressions;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Application.Common.Specifications;

/// <summary>A specification bound to one tenant; the repository accepts nothing else for tenant-owned types.</summary>
public interface ITenantScopedSpecification
{
    Guid TenantId { get; }
}

/// <summary>
/// The primary isolation lock: its constructor adds <c>TenantId == tenant</c> before anything else, so no
/// derived specification can forget it. The tenant is read through a closure, which EF Core sends as a
/// query parameter (one cached plan for every tenant, never a constant baked into it).
/// </summary>
public abstract class TenantSpecification<T> : Specification<T>, ITenantScopedSpecification
    where T : class, ITenantOwned
{
    protected TenantSpecification(ITenantContext tenant)
    {
        TenantId = tenant.TenantId;
        Where(TenantCriterion(TenantId));
    }

    public Guid TenantId { get; }

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
public sealed class ByIdSpecification<T> : TenantSpecification<T> where T : AggregateRoot, ITenantOwned
{
    public ByIdSpecification(ITenantContext tenant, Guid id) : base(tenant) => Where(e => e.Id == id);
}

/// <summary>One tenant-owned aggregate by id, for a projection to a DTO.</summary>
public sealed class ReadByIdSpecification<T> : TenantSpecification<T> where T : AggregateRoot, ITenantOwned
{
    public ReadByIdSpecification(ITenantContext tenant, Guid id) : base(tenant)
    {
        Where(e => e.Id == id);
        NoTracking();
    }
}
