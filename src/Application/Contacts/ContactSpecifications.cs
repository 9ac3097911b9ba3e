using CrmTenancy.Application.Common.Paging;
using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Contacts;

namespace CrmTenancy.Application.Contacts;

/// <summary>
/// The contacts linked to one customer, tracked and locked (for unlinking or clearing the primary flag): those the
/// caller may change, so a member never changes a contact shared with them (what is left refuses the change instead:
/// the one-primary constraint, the customer's foreign key).
/// </summary>
public sealed class ContactsOfCustomerSpecification : TenantSpecification<Contact>, ILocksForChange
{
    public ContactsOfCustomerSpecification(ITenantContext tenant, Guid customerId, bool primaryOnly = false) : base(tenant)
    {
        Query.Where(c => c.CustomerId == customerId);
        if (primaryOnly)
            Query.Where(c => c.IsPrimary);
    }
}

/// <summary>Whether another contact of the tenant already uses an email (case-insensitive).</summary>
public sealed class ContactEmailTakenSpecification : TenantSpecification<Contact>
{
    public ContactEmailTakenSpecification(ITenantContext tenant, string email, Guid? exceptContactId = null) : base(tenant)
    {
        var normalized = Contact.NormaliseEmail(email);
        Query.Where(c => c.NormalizedEmail == normalized).AsNoTracking();
        if (exceptContactId is { } id)
            Query.Where(c => c.Id != id);
    }
}

public sealed record ContactFilter(string? Search = null, Guid? CustomerId = null, ContactType? Type = null);

/// <summary>The contact list: search over names, email and company; newest last name order, ties by id.</summary>
public sealed class ContactListSpecification : TenantSpecification<Contact>, ISearchingSpecification
{
    public bool Searches { get; }

    public ContactListSpecification(ITenantContext tenant, ContactFilter filter, int page, int pageSize) : base(tenant)
    {
        Searches = !string.IsNullOrWhiteSpace(filter.Search);
        if (filter.CustomerId is { } customerId)
            Query.Where(c => c.CustomerId == customerId);
        if (filter.Type is { } type)
            Query.Where(c => c.Type == type);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = TextSearch.Pattern(filter.Search);
            Query.Where(c => TextSearch.Matches(c.FirstName, pattern)
                       || TextSearch.Matches(c.LastName, pattern)
                       || TextSearch.Matches(c.Email, pattern)
                       || TextSearch.Matches(c.Company, pattern));
        }
        Query.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id);
        Query.Page(page, pageSize).AsNoTracking();
    }
}
