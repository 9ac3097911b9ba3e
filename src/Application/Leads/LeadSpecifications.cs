using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Customers;
using CrmTenancy.Domain.Leads;

namespace CrmTenancy.Application.Leads;

public enum LeadSort
{
    Captured,
    Updated,
    Name,
}

/// <summary>Criteria of leads that more than one specification shares.</summary>
public static class LeadCriteria
{
    /// <summary>An open lead (New, Nurturing, Engaged or Qualified) whose email, normalised, is <paramref name="normalizedEmail"/>.</summary>
    public static System.Linq.Expressions.Expression<Func<Lead, bool>> OpenWithEmail(string normalizedEmail) =>
        l => l.NormalizedEmail == normalizedEmail
             && (l.Status == LeadStatus.New || l.Status == LeadStatus.Nurturing || l.Status == LeadStatus.Engaged || l.Status == LeadStatus.Qualified);
}

/// <summary>The options of the lead list; every one is optional.</summary>
public sealed record LeadFilter(
    LeadStatus? Status = null,
    LeadSource? Source = null,
    string? Tag = null,
    VolumeTier? VolumeTier = null,
    Guid? AssigneeId = null,
    string? Search = null,
    LeadSort Sort = LeadSort.Captured,
    SortDirection Direction = SortDirection.Desc,
    Guid? CompanyId = null);

/// <summary>
/// The lead list: filters, a text search over the lead's names, email and company (its search text, which holds
/// nothing but the lead's own fields, so it serves owner-scoped members too), a stable order (ties broken by id) and
/// a page. The default is the newest captured first.
/// </summary>
public sealed class LeadListSpecification : TenantSpecification<Lead>, ISearchingSpecification
{
    public bool Searches { get; }

    public LeadListSpecification(ITenantContext tenant, LeadFilter filter, int page, int pageSize) : base(tenant)
    {
        Searches = !string.IsNullOrWhiteSpace(filter.Search);
        if (filter.Status is { } status)
            Query.Where(l => l.Status == status);
        if (filter.Source is { } source)
            Query.Where(l => l.Source == source);
        if (filter.VolumeTier is { } tier)
            Query.Where(l => l.VolumeTier == tier);
        if (filter.AssigneeId is { } assignee)
            Query.Where(l => l.AssigneeId == assignee);
        if (filter.CompanyId is { } company)
            Query.Where(l => l.CompanyId == company);
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var tag = CustomerTags.Normalise(filter.Tag);
            Query.Where(l => l.Tags.Contains(tag));
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = TextSearch.Pattern(filter.Search);
            Query.Where(l => TextSearch.MatchesLowerCase(l.SearchText, pattern));
        }

        var descending = filter.Direction == SortDirection.Desc;
        var ordered = filter.Sort switch
        {
            LeadSort.Updated => Query.OrderByDirection(l => l.UpdatedAt ?? l.CreatedAt, descending),
            LeadSort.Name => Query.OrderByDirection(l => l.LastName, descending).ThenByDirection(l => l.FirstName, descending),
            _ => Query.OrderByDirection(l => l.CapturedAt, descending),
        };
        ordered.ThenByDirection(l => l.Id, descending);
        Query.Page(page, pageSize).AsNoTracking();
    }
}
