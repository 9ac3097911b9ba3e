using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Contacts;

namespace CrmTenancy.Domain.Customers;

/// <summary>An organisation or person a tenant sells to.</summary>
public sealed class Customer : AggregateRoot, IShareable, IActivitySubject
{
    public const int NameMaxLength = FieldLengths.Name;
    public const int CompanyNameMaxLength = FieldLengths.Name;
    public const int IndustryMaxLength = 100;
    /// <summary>The largest total revenue the store keeps exactly (numeric(18,2)).</summary>
    public const decimal MaxTotalRevenue = 9_999_999_999_999_999.99m;

    private static readonly Dictionary<CustomerStatus, CustomerStatus[]> AllowedTransitions = new()
    {
        [CustomerStatus.Active] = [CustomerStatus.Inactive, CustomerStatus.Churned],
        [CustomerStatus.Inactive] = [CustomerStatus.Active, CustomerStatus.Churned],
        [CustomerStatus.Churned] = [CustomerStatus.Active],
    };

    private readonly List<Contact> _contacts = [];

    private Customer() { Name = null!; }

    public Guid TenantId { get; private set; }
    public string Name { get; private set; }
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public string? CompanyName { get; private set; }
    public string? Industry { get; private set; }
    public CompanySize? CompanySize { get; private set; }
    public string? Website { get; private set; }
    public CustomerStatus Status { get; private set; }
    public CustomerSource Source { get; private set; }
    public string[] Tags { get; private set; } = [];
    public decimal TotalRevenue { get; private set; }
    public DateOnly? LastPurchaseDate { get; private set; }
    /// <summary>The user who created the record; none when an integration created it.</summary>
    public Guid? OwnerId { get; private set; }
    public Guid? AssigneeId { get; private set; }
    /// <summary>The tenant's company (business unit) the record belongs to, if any.</summary>
    public Guid? CompanyId { get; private set; }
    /// <summary>Shared with the whole tenant (see <see cref="IOwnedRecord.Shared"/>).</summary>
    public bool Shared { get; private set; }

    public void ShareWithTenant(bool shared)
    {
        if (shared != Shared)
            Raise(new SharingChanged(TenantId, Id, Shared = shared));
    }
    public string? Notes { get; private set; }

    /// <summary>
    /// What a search of the customer list looks in, lower case: the customer's name, email and company, which the
    /// customer keeps here, followed in the store by its contacts' names and emails, which the database appends in the
    /// same transaction as any change of either (one indexed column instead of a scan of every customer and contact).
    /// </summary>
    public string SearchText { get; private set; } = "";

    /// <summary>
    /// The contacts linked to this customer, for queries only (search over contact names, counts). Contacts
    /// are their own aggregate: commands change them through <see cref="Contact"/>, never through this list,
    /// and never load it.
    /// </summary>
    public IReadOnlyCollection<Contact> Contacts => _contacts;

    public static Customer Create(Guid tenantId, CustomerDetails details, CustomerSource source, Guid? ownerId)
    {
        var customer = new Customer
        {
            TenantId = Guard.Tenant(tenantId),
            Status = CustomerStatus.Active,
            Source = source,
            OwnerId = ownerId,
            AssigneeId = ownerId,
        };
        customer.Apply(details);
        customer.Raise(new CustomerCreated(customer.TenantId, customer.Id));
        return customer;
    }

    string IActivitySubject.ActivityTitle => Name;

    /// <summary>Replaces the descriptive fields; the names of those that changed go into <see cref="CustomerUpdated"/>.</summary>
    public void Update(CustomerDetails details, CustomerSource source)
    {
        var before = Details();
        Apply(details);
        var changed = FieldChanges.Between(before, Details());
        if (source != Source)
            changed.Add("source");
        Source = source;
        if (changed.Count > 0)
            Raise(new CustomerUpdated(TenantId, Id, changed));
    }

    private CustomerDetails Details() => new(Name, Email, Phone, CompanyName, Industry, CompanySize, Website, Notes, CompanyId);

    public void ChangeStatus(CustomerStatus to)
    {
        if (to == Status)
            throw new DomainRuleException("customer-status-unchanged", $"The customer is already {Status}.");
        if (!AllowedTransitions[Status].Contains(to))
            throw new DomainRuleException("customer-status-transition", $"A customer cannot move from {Status} to {to}.");
        var from = Status;
        Status = to;
        Raise(new CustomerStatusChanged(TenantId, Id, from, to));
    }

    public void AssignTo(Guid? assigneeId)
    {
        if (Guard.Assignee(assigneeId) == AssigneeId)
            return;
        AssigneeId = assigneeId;
        Raise(new CustomerAssigned(TenantId, Id, assigneeId));
    }

    /// <summary>Adds tags, normalised; tags the customer already has are ignored.</summary>
    public void AddTags(IEnumerable<string> tags)
    {
        var merged = CustomerTags.Merge(Tags, tags, "customer");
        if (merged.Length == Tags.Length)
            return;
        var added = merged[Tags.Length..];
        Tags = merged;
        Raise(new CustomerTagged(TenantId, Id, added));
    }

    public void RemoveTag(string tag)
    {
        var remaining = CustomerTags.Without(Tags, tag);
        if (remaining.Length == Tags.Length)
            return;
        Tags = remaining;
        Raise(new CustomerUntagged(TenantId, Id, CustomerTags.Normalise(tag)));
    }

    public void RecordPurchase(decimal amount, DateOnly on)
    {
        if (amount <= 0)
            throw new DomainRuleException("purchase-amount-positive", "A purchase amount must be greater than zero.");
        if (Status == CustomerStatus.Churned)
            throw new DomainRuleException("purchase-churned-customer", "A churned customer must be reactivated before recording a purchase.");
        if (TotalRevenue + amount > MaxTotalRevenue)
            throw new DomainRuleException("revenue-limit", "The customer's total revenue would exceed what can be recorded.");
        TotalRevenue += amount;
        if (LastPurchaseDate is null || on > LastPurchaseDate)
            LastPurchaseDate = on;
        Raise(new CustomerPurchaseRecorded(TenantId, Id, amount, on));
    }

    public void MarkDeleted() => Raise(new CustomerDeleted(TenantId, Id));

    private void Apply(CustomerDetails details)
    {
        Name = Guard.Required(details.Name, NameMaxLength, "name");
        CompanyId = details.CompanyId;
        Email = Guard.Optional(details.Email, FieldLengths.Email, "email");
        Phone = Guard.Optional(details.Phone, FieldLengths.Phone, "phone");
        CompanyName = Guard.Optional(details.CompanyName, CompanyNameMaxLength, "companyName");
        Industry = Guard.Optional(details.Industry, IndustryMaxLength, "industry");
        CompanySize = details.CompanySize;
        Website = Guard.Optional(details.Website, FieldLengths.Url, "website");
        Notes = Guard.Optional(details.Notes, FieldLengths.Notes, "notes");
        SearchText = string.Join(' ', new[] { Name, Email, CompanyName }.Where(v => v is not null)).ToLowerInvariant();
    }
}

/// <summary>The editable descriptive fields of a customer, set together on create and update.</summary>
public sealed record CustomerDetails(
    string Name,
    string? Email = null,
    string? Phone = null,
    string? CompanyName = null,
    string? Industry = null,
    CompanySize? CompanySize = null,
    string? Website = null,
    string? Notes = null,
    Guid? CompanyId = null);
