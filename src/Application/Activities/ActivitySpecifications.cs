using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.Application.Activities;

/// <summary>The options of the activity list; every one is optional. <c>From</c> is inclusive, <c>To</c> exclusive.</summary>
public sealed record ActivityFilter(
    string? RecordType = null,
    Guid? RecordId = null,
    string? Actor = null,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>
/// Activities newest first (ties broken by id), filtered, one page. Record visibility comes with the tenant
/// specification: an entry carries its record's owner and assignee.
/// </summary>
public sealed class ActivityListSpecification : TenantSpecification<Activity>
{
    public ActivityListSpecification(ITenantContext tenant, ActivityFilter filter, int page, int pageSize) : base(tenant)
    {
        if (filter.RecordType is { } type)
            Query.Where(a => a.RecordType == type);
        if (filter.RecordId is { } record)
            Query.Where(a => a.RecordId == record);
        if (filter.Actor is { } actor)
            Query.Where(a => a.Actor == actor);
        if (filter.Action is { } action)
            Query.Where(a => a.Action == action);
        // The store keeps UTC and takes UTC only: an instant given with another offset is the same instant in UTC.
        if (filter.From is { } from)
        {
            var since = from.ToUniversalTime();
            Query.Where(a => a.OccurredAt >= since);
        }
        if (filter.To is { } to)
        {
            var until = to.ToUniversalTime();
            Query.Where(a => a.OccurredAt < until);
        }
        Query.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id);
        Query.Page(page, pageSize).AsNoTracking();
    }
}

/// <summary>The tenant's users with these ids (the actors of a page of activities).</summary>
public sealed class UsersByIdSpecification : TenantSpecification<User>
{
    public UsersByIdSpecification(ITenantContext tenant, IReadOnlyCollection<Guid> ids) : base(tenant) =>
        Query.Where(u => ids.Contains(u.Id)).AsNoTracking();
}
