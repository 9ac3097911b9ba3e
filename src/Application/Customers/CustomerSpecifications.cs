using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Paging;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Customers;

namespace CrmTenancy.Application.Customers;

public enum CustomerSort
{
    Name,
    Created,
    Updated,
}

/// <summary>The options of the customer list; every one is optional.</summary>
public sealed record CustomerFilter(
    CustomerStatus? Status = null,
    CustomerSource? Source = null,
    string? Tag = null,
    Guid? AssigneeId = null,
    string? Search = null,
    CustomerSort Sort = CustomerSort.Name,
    SortDirection Direction = SortDirection.Asc,
    Guid? CompanyId = null);

/// <summary>
/// The customer list: filters, a text search over the customer's name, email and company and over its contacts'
/// names and emails, a stable order (ties broken by id) and a page. "Updated, descending" is the recent view.
/// </summary>
public sealed class CustomerListSpecification : TenantSpecification<Customer>, ISearchingSpecification
{
    public bool Searches { get; }

    public CustomerListSpecification(ITenantContext tenant, CustomerFilter filter, int page, int pageSize) : base(tenant)
    {
        Searches = !string.IsNullOrWhiteSpace(filter.Search);
        if (filter.Status is { } status)
            Query.Where(c => c.Status == status);
        if (filter.Source is { } source)
            Query.Where(c => c.Source == source);
        if (filter.AssigneeId is { } assignee)
            Query.Where(c => c.AssigneeId == assignee);
        if (filter.CompanyId is { } company)
            Query.Where(c => c.CompanyId == company);
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            var tag = CustomerTags.Normalise(filter.Tag);
            Query.Where(c => c.Tags.Contains(tag));
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = TextSearch.Pattern(filter.Search);
            // The search text holds every contact's name and email, seen or not; a member who sees only their own
            // records searches the contacts they may see, one by one (the owner filter covers the navigation).
            if (tenant.OwnerScope is null)
                Query.Where(c => TextSearch.MatchesLowerCase(c.SearchText, pattern));
            else
                Query.Where(c => TextSearch.Matches(c.Name, pattern)
                           || TextSearch.Matches(c.Email, pattern)
                           || TextSearch.Matches(c.CompanyName, pattern)
                           || c.Contacts.Any(k => TextSearch.Matches(k.FirstName, pattern)
                                                  || TextSearch.Matches(k.LastName, pattern)
                                                  || TextSearch.Matches(k.Email, pattern)));
        }

        var descending = filter.Direction == SortDirection.Desc;
        var ordered = filter.Sort switch
        {
            CustomerSort.Created => Query.OrderByDirection(c => c.CreatedAt, descending),
            CustomerSort.Updated => Query.OrderByDirection(c => c.UpdatedAt ?? c.CreatedAt, descending),
            _ => Query.OrderByDirection(c => c.Name, descending),
        };
        ordered.ThenByDirection(c => c.Id, descending);
        Query.Page(page, pageSize).AsNoTracking();
    }
}
