using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;

namespace CrmTenancy.Domain.Contacts;

public enum ContactType
{
    Client,
    Prospect,
    Partner,
    Other,
}

public sealed record ContactCreated(Guid TenantId, Guid ContactId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Created, $"Contact {title} created");
}

/// <summary>The contact's fields changed (their names in <paramref name="Fields"/>; <c>isPrimary</c> for the primary flag).</summary>
public sealed record ContactUpdated(Guid TenantId, Guid ContactId, IReadOnlyList<string> Fields) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Updated, $"Contact {title} updated: {string.Join(", ", Fields)}", Fields);
}

public sealed record ContactContacted(Guid TenantId, Guid ContactId, DateTimeOffset At) : IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Contacted, $"Contact {title} contacted");
}

/// <summary>The contact was linked to a customer (<paramref name="CustomerId"/>), or unlinked (none).</summary>
public sealed record ContactLinked(Guid TenantId, Guid ContactId, Guid? CustomerId) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Linked, CustomerId is null ? $"Contact {title} unlinked from its customer" : $"Contact {title} linked to a customer",
            To: CustomerId?.ToString());
}

public sealed record ContactAssigned(Guid TenantId, Guid ContactId, Guid? AssigneeId) : IActivityEvent
{
    public ActivityDescription Describe(string title) =>
        new(ActivityActions.Assigned, AssigneeId is null ? $"Contact {title} unassigned" : $"Contact {title} assigned", To: AssigneeId?.ToString());
}

public sealed record ContactDeleted(Guid TenantId, Guid ContactId) : IIntegrationEvent, IActivityEvent
{
    public ActivityDescription Describe(string title) => new(ActivityActions.Deleted, $"Contact {title} deleted");
}

/// <summary>
/// A person at (or around) a customer. The email is unique per tenant, compared case-insensitively
/// through <see cref="NormalizedEmail"/>; a contact links at most to one customer of its own tenant,
/// and is the primary contact of that customer at most once per customer (the handler clears the others).
/// </summary>
public sealed class Contact : AggregateRoot, IShareable, IActivitySubject
{
    public const int NameMaxLength = 100;
    public const int TitleMaxLength = 100;
    public const int CompanyMaxLength = FieldLengths.Name;

    private Contact() { FirstName = null!; LastName = null!; }

    public Guid TenantId { get; private set; }
    public string FirstName { get; private set; }
    public string LastName { get; private set; }
    public string? Email { get; private set; }
    public string? NormalizedEmail { get; private set; }
    public string? Phone { get; private set; }
    public string? Title { get; private set; }
    public string? Company { get; private set; }
    public ContactType Type { get; private set; }
    public Guid? CustomerId { get; private set; }
    public bool IsPrimary { get; private set; }
    public Guid? OwnerId { get; private set; }
    public Guid? AssigneeId { get; private set; }
    /// <summary>When someone last reached the contact (a completed call, say).</summary>
    public DateTimeOffset? LastContactedAt { get; private set; }
    /// <summary>Shared with the whole tenant (see <see cref="IOwnedRecord.Shared"/>).</summary>
    public bool Shared { get; private set; }

    public void ShareWithTenant(bool shared)
    {
        if (shared != Shared)
            Raise(new SharingChanged(TenantId, Id, Shared = shared));
    }

    public static Contact Create(Guid tenantId, ContactDetails details, Guid? ownerId)
    {
        var contact = new Contact { TenantId = Guard.Tenant(tenantId), OwnerId = ownerId, AssigneeId = ownerId };
        contact.Apply(details);
        contact.Raise(new ContactCreated(contact.TenantId, contact.Id));
        return contact;
    }

    public static string? NormaliseEmail(string? email) => EmailAddress.NormalizeOptional(email);

    string IActivitySubject.ActivityTitle => $"{FirstName} {LastName}";

    /// <summary>Replaces the descriptive fields; the names of those that changed go into <see cref="ContactUpdated"/>.</summary>
    public void Update(ContactDetails details)
    {
        var before = Details();
        Apply(details);
        var changed = FieldChanges.Between(before, Details());
        if (changed.Count > 0)
            Raise(new ContactUpdated(TenantId, Id, changed));
    }

    private ContactDetails Details() => new(FirstName, LastName, Email, Phone, Title, Company, Type);

    public void LinkTo(Customer customer)
    {
        if (customer.TenantId != TenantId)
            throw new DomainRuleException("contact-customer-tenant", "A contact can only be linked to a customer of its own tenant.");
        if (CustomerId == customer.Id)
            return;
        CustomerId = customer.Id;
        Raise(new ContactLinked(TenantId, Id, CustomerId));
        ClearPrimary();
    }

    public void Unlink()
    {
        if (CustomerId is null)
            return;
        CustomerId = null;
        Raise(new ContactLinked(TenantId, Id, null));
        ClearPrimary();
    }

    /// <summary>Records that someone reached the contact at <paramref name="at"/>.</summary>
    public void RecordContact(DateTimeOffset at)
    {
        if (LastContactedAt is null || at > LastContactedAt)
            LastContactedAt = at;
        Raise(new ContactContacted(TenantId, Id, at));
    }

    public void MakePrimary()
    {
        if (CustomerId is null)
            throw new DomainRuleException("primary-contact-needs-customer", "Only a contact linked to a customer can be its primary contact.");
        if (IsPrimary)
            return;
        IsPrimary = true;
        Raise(new ContactUpdated(TenantId, Id, ["isPrimary"]));
    }

    public void ClearPrimary()
    {
        if (!IsPrimary)
            return;
        IsPrimary = false;
        Raise(new ContactUpdated(TenantId, Id, ["isPrimary"]));
    }

    /// <summary>
    /// Hands the contact to an assignee (or none); used where a contact is made for a record someone else works, such
    /// as a converted lead's person.
    /// </summary>
    public void AssignTo(Guid? assigneeId)
    {
        if (Guard.Assignee(assigneeId) == AssigneeId)
            return;
        AssigneeId = assigneeId;
        Raise(new ContactAssigned(TenantId, Id, assigneeId));
    }

    public void MarkDeleted() => Raise(new ContactDeleted(TenantId, Id));

    /// <summary>
    /// Erases the person's personal data (a privacy request): names, address, phone, title and company go; the link to
    /// its customer, its owner and dates stay. Raises no event: an event's timeline entry would keep what was erased.
    /// </summary>
    public void Erase() =>
        (FirstName, LastName, Email, NormalizedEmail, Phone, Title, Company) = (Leads.Lead.ErasedName, "", null, null, null, null, null);

    private void Apply(ContactDetails details)
    {
        FirstName = Guard.Required(details.FirstName, NameMaxLength, "firstName");
        LastName = Guard.Required(details.LastName, NameMaxLength, "lastName");
        Email = Guard.Optional(details.Email, FieldLengths.Email, "email");
        NormalizedEmail = NormaliseEmail(Email);
        Phone = Guard.Optional(details.Phone, FieldLengths.Phone, "phone");
        Title = Guard.Optional(details.Title, TitleMaxLength, "title");
        Company = Guard.Optional(details.Company, CompanyMaxLength, "company");
        Type = details.Type;
    }
}

public sealed record ContactDetails(
    string FirstName,
    string LastName,
    string? Email = null,
    string? Phone = null,
    string? Title = null,
    string? Company = null,
    ContactType Type = ContactType.Prospect);
