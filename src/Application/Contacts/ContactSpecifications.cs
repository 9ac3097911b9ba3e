using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Contacts;

namespace CrmTenancy.Application.Contacts;

/// <summary>The contacts linked to one customer, tracked (for unlinking or clearing the primary flag).</summary>
public sealed class ContactsOfCustomerSpecification : TenantSpecification<Contact>
{
    public ContactsOfCustomerSpecification(ITenantContext tenant, Guid customerId, bool primaryOnly = false) : base(tenant)
    {
        Where(c => c.CustomerId == customerId);
        if (primaryOnly)
            Where(c => c.IsPrimary);
    }
}

/// <summary>Whether another contact of the tenant already uses an email (case-insensitive).</summary>
public sealed class ContactEmailTakenSpecification : TenantSpecification<Contact>
{
    public ContactEmailTakenSpecification(ITenantContext tenant, string email, Guid? exceptContactId = null) : base(tenant)
    {
        var normalized = Contact.NormaliseEmail(email);
        Where(c => c.NormalizedEmail == normalized);
        if (exceptContactId is { } id)
            Where(c => c.Id != id);
        NoTracking();
    }
}

public sealed record ContactFilter(string? Search = null, Guid? CustomerId = null, ContactType? Type = null);

/// <summary>The contact list: search over names, email and company; newest last name order, ties by id.</summary>
public sealed class ContactListSpecification : TenantSpecification<Contact>
{
    public ContactListSpecification(ITenantContext tenant, ContactFilter filter, int page, int pageSize) : base(tenant)
    {
        if (filter.CustomerId is { } customerId)
            Where(c => c.CustomerId == customerId);
        if (filter.Type is { } type)
            Where(c => c.Type == type);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = TextSearch.Pattern(filter.Search);
            Where(c => TextSearch.Matches(c.FirstName, pattern)
                       || TextSearch.Matches(c.LastName, pattern)
                       || TextSearch.Matches(c.Email, pattern)
                       || TextSearch.Matches(c.Company, pattern));
        }
        OrderBy(c => c.LastName);
        OrderBy(c => c.FirstName);
        OrderBy(c => c.Id);
        Page(page, pageSize);
        NoTracking();
    }
}
