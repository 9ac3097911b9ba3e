using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Customers;

namespace CrmTenancy.Domain.Leads;

/// <summary>
/// A person who may become a customer: captured, worked through the pipeline (New, Nurturing, Engaged, Qualified),
/// and then converted or lost. Owned and assigned like a customer, so record visibility applies to it alike.
/// </summary>
public sealed class Lead : AggregateRoot, IShareable, IActivitySubject
{
    public const int NameMaxLength = 100;
    public const int CompanyMaxLength = FieldLengths.Name;
    public const int InterestMaxLength = 1000;
    public const int LostReasonMaxLength = 500;

    private Lead() { FirstName = null!; LastName = null!; }

    public Guid TenantId { get; private set; }
    public string FirstName { get; private set; }
    public string LastName { get; private set; }
    public string? Email { get; private set; }
    /// <summary>The email as a capture compares it when it looks for the person's open lead (as a contact's: trimmed, upper case).</summary>
    public string? NormalizedEmail { get; private set; }
    public string? Phone { get; private set; }
    public string? CompanyName { get; private set; }
    public LeadSource Source { get; private set; }
    public string? Interest { get; private set; }
    public VolumeTier? VolumeTier { get; private set; }
    public string[] Tags { get; private set; } = [];
    /// <summary>The user who created the lead; none when an integration captured it.</summary>
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
    public LeadStatus Status { get; private set; }
    /// <summary>
    /// The furthest stage of the pipeline the lead has reached (New, Nurturing, Engaged, Qualified or Converted): a lead
    /// lost after it was engaged still counts as engaged in the funnel. It never goes back.
    /// </summary>
    public LeadStatus FurthestStage { get; private set; }
    /// <summary>Why the lead was lost; only while it is <see cref="LeadStatus.Lost"/>.</summary>
    public string? LostReason { get; private set; }
    public DateTimeOffset CapturedAt { get; private set; }
    public DateTimeOffset? LastContactedAt { get; private set; }
    /// <summary>When a web form or landing page last sent this person in (a capture); none for leads entered by hand.</summary>
    public DateTimeOffset? LastCapturedAt { get; private set; }
    /// <summary>The customer the lead became; set when it is converted.</summary>
    public Guid? ConvertedCustomerId { get; private set; }

    /// <summary>What a search of the lead list looks in, lower case: names, email and company.</summary>
    public string SearchText { get; private set; } = "";

    public bool IsOpen => Status is LeadStatus.New or LeadStatus.Nurturing or LeadStatus.Engaged or LeadStatus.Qualified;

    public static Lead Create(Guid tenantId, LeadDetails details, LeadSource source, Guid? ownerId, DateTimeOffset capturedAt)
    {
        var lead = new Lead
        {
            TenantId = Guard.Tenant(tenantId),
            Status = LeadStatus.New,
            Source = source,
            OwnerId = ownerId,
            AssigneeId = ownerId,
            CapturedAt = capturedAt,
        };
        lead.Apply(details);
        lead.Raise(new LeadCreated(lead.TenantId, lead.Id));
        return lead;
    }

    /// <summary>A lead sent in by a tenant's web form or landing page through an integration: unowned, unassigned.</summary>
    public static Lead Capture(Guid tenantId, LeadDetails details, LeadSource source, DateTimeOffset at)
    {
        var lead = Create(tenantId, details, source, ownerId: null, at);
        lead.LastCapturedAt = at;
        return lead;
    }

    /// <summary>
    /// The same person sent in again while the lead is open: the new source becomes a tag, <see cref="LastCapturedAt"/>
    /// moves, fields the lead has no value for (phone, company, interest, volume tier, notes) are filled from the
    /// capture, tags are added as far as the limit allows, and nothing else is overwritten (what the team entered or
    /// corrected stays).
    /// </summary>
    public void Recapture(LeadDetails details, LeadSource source, IEnumerable<string> tags, DateTimeOffset at)
    {
        if (!IsOpen)
            throw new DomainRuleException("lead-closed", $"A {Status} lead is not captured again.");
        Phone ??= Guard.Optional(details.Phone, FieldLengths.Phone, "phone");
        CompanyName ??= Guard.Optional(details.CompanyName, CompanyMaxLength, "companyName");
        Interest ??= Guard.Optional(details.Interest, InterestMaxLength, "interest");
        VolumeTier ??= details.VolumeTier;
        Notes ??= Guard.Optional(details.Notes, FieldLengths.Notes, "notes");
        // A lead at its tag limit is still captured: the source's tag first, then the form's, as many as fit.
        foreach (var tag in tags.Prepend(SourceTag(source)).Select(CustomerTags.Normalise).Distinct())
        {
            if (!Tags.Contains(tag) && Tags.Length < CustomerTags.MaxPerCustomer)
                Tags = [.. Tags, tag];
        }
        if (LastCapturedAt is null || at > LastCapturedAt)
            LastCapturedAt = at;
        SearchText = SearchTextOf();
        Raise(new LeadRecaptured(TenantId, Id, source));
    }

    /// <summary>The tag a capture from <paramref name="source"/> leaves on a lead it found: <c>web-form</c>, <c>referral</c>, ...</summary>
    public static string SourceTag(LeadSource source) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(source.ToString());

    string IActivitySubject.ActivityTitle => $"{FirstName} {LastName}";

    /// <summary>Replaces the descriptive fields; the names of those that changed go into <see cref="LeadUpdated"/>.</summary>
    public void Update(LeadDetails details, LeadSource source)
    {
        var before = Details();
        Apply(details);
        var changed = FieldChanges.Between(before, Details());
        if (source != Source)
            changed.Add("source");
        Source = source;
        if (changed.Count > 0)
            Raise(new LeadUpdated(TenantId, Id, changed));
    }

    private LeadDetails Details() => new(FirstName, LastName, Email, Phone, CompanyName, Interest, VolumeTier, Notes, CompanyId);

    /// <summary>
    /// Moves the lead in the pipeline. Between open stages it may go forward to any later one or back to any earlier
    /// one but New (a lead once worked is not new again); Lost needs a reason and is reached from any open stage;
    /// a lost lead is reopened to Nurturing only; Converted is reached by conversion alone and is final.
    /// </summary>
    public void MoveTo(LeadStatus to, string? lostReason = null)
    {
        if (to == Status)
            throw new DomainRuleException("lead-status-unchanged", $"The lead is already {Status}.");
        if (to == LeadStatus.Converted)
            throw new DomainRuleException("lead-convert-required", "A lead becomes Converted by converting it to a customer.");
        var allowed = Status switch
        {
            LeadStatus.Converted => false,
            LeadStatus.Lost => to == LeadStatus.Nurturing,
            _ => to != LeadStatus.New,
        };
        if (!allowed)
            throw new DomainRuleException("lead-status-transition", $"A lead cannot move from {Status} to {to}.");
        var reason = Guard.Optional(lostReason, LostReasonMaxLength, "lostReason");
        if (to == LeadStatus.Lost && reason is null)
            throw new DomainRuleException("lead-lost-reason-required", "A lost lead needs a reason.");
        if (to != LeadStatus.Lost && reason is not null)
            throw new DomainRuleException("lead-lost-reason-unexpected", "Only a lead moved to Lost takes a reason.");
        var from = Status;
        Status = to;
        LostReason = reason;
        Reached(to);
        Raise(new LeadStatusChanged(TenantId, Id, from, to, reason));
    }

    public void AssignTo(Guid? assigneeId)
    {
        if (Guard.Assignee(assigneeId) == AssigneeId)
            return;
        AssigneeId = assigneeId;
        Raise(new LeadAssigned(TenantId, Id, assigneeId));
    }

    /// <summary>Adds tags, normalised as a customer's are; tags the lead already has are ignored.</summary>
    public void AddTags(IEnumerable<string> tags)
    {
        var merged = CustomerTags.Merge(Tags, tags, "lead");
        if (merged.Length == Tags.Length)
            return;
        var added = merged[Tags.Length..];
        Tags = merged;
        Raise(new LeadTagged(TenantId, Id, added));
    }

    public void RemoveTag(string tag)
    {
        var remaining = CustomerTags.Without(Tags, tag);
        if (remaining.Length == Tags.Length)
            return;
        Tags = remaining;
        Raise(new LeadUntagged(TenantId, Id, CustomerTags.Normalise(tag)));
    }

    /// <summary>Records that someone reached the lead; a converted or lost lead is no longer worked.</summary>
    public void RecordContact(DateTimeOffset at)
    {
        if (!IsOpen)
            throw new DomainRuleException("lead-closed", $"A {Status} lead is no longer worked.");
        if (LastContactedAt is null || at > LastContactedAt)
            LastContactedAt = at;
        Raise(new LeadContacted(TenantId, Id, at));
    }

    /// <summary>
    /// Marks an open lead converted into <paramref name="customer"/> of its tenant. A lost lead is reopened first; a
    /// converted one stays the customer's it became.
    /// </summary>
    public void ConvertTo(Customer customer)
    {
        if (customer.TenantId != TenantId)
            throw new DomainRuleException("lead-customer-tenant", "A lead converts to a customer of its own tenant only.");
        if (CompanyId is not null && customer.CompanyId != CompanyId)
            throw new DomainRuleException("lead-customer-company", "A lead of a company converts to a customer of the same company only.");
        if (Status == LeadStatus.Converted)
            throw new DomainRuleException("lead-already-converted", "The lead is already converted.");
        if (!IsOpen)
            throw new DomainRuleException("lead-closed", $"A {Status} lead is reopened before it is converted.");
        var from = Status;
        Status = LeadStatus.Converted;
        ConvertedCustomerId = customer.Id;
        Reached(LeadStatus.Converted);
        Raise(new LeadConverted(TenantId, Id, customer.Id));
        Raise(new LeadStatusChanged(TenantId, Id, from, LeadStatus.Converted, null));
    }

    /// <summary>The customer a conversion creates from this lead: its company (or its name), email and phone, tags and people.</summary>
    public Customer NewCustomer()
    {
        var customer = Customer.Create(TenantId,
            new CustomerDetails(CustomerName(), Email, Phone, CompanyName, Notes: Notes, CompanyId: CompanyId),
            CustomerSourceOf(Source), OwnerId);
        customer.AssignTo(AssigneeId);
        if (Tags.Length > 0)
            customer.AddTags(Tags);
        return customer;
    }

    /// <summary>The company, or the person's name cut to what a customer's name holds.</summary>
    private string CustomerName()
    {
        var name = CompanyName ?? $"{FirstName} {LastName}";
        return name.Length <= Customer.NameMaxLength ? name : name[..Customer.NameMaxLength].TrimEnd();
    }

    private static CustomerSource CustomerSourceOf(LeadSource source) => source switch
    {
        LeadSource.WebForm => CustomerSource.Web,
        LeadSource.Referral => CustomerSource.Referral,
        LeadSource.Campaign => CustomerSource.Campaign,
        LeadSource.Manual => CustomerSource.Direct,
        _ => CustomerSource.Other,
    };

    public void MarkDeleted() => Raise(new LeadDeleted(TenantId, Id));

    /// <summary>The pipeline's stages in order; Lost is not one of them.</summary>
    /// <summary>
    /// Erases the person's personal data (a privacy request): names, address, phone, company, interest, notes and tags
    /// go; the lead's status, source, dates and links stay, so counts and history keep adding up. Raises no event: an
    /// event's timeline entry would keep what was erased.
    /// </summary>
    public void Erase()
    {
        (FirstName, LastName, Email, NormalizedEmail, Phone, CompanyName, Interest, Notes, LostReason, Tags) =
            (ErasedName, "", null, null, null, null, null, null, LostReason is null ? null : ErasedName, []);
        SearchText = SearchTextOf();
    }

    /// <summary>What an erased person's first name reads.</summary>
    public const string ErasedName = "Erased";

    private void Reached(LeadStatus stage)
    {
        if (stage != LeadStatus.Lost && stage > FurthestStage)
            FurthestStage = stage;
    }

    private void Apply(LeadDetails details)
    {
        FirstName = Guard.Required(details.FirstName, NameMaxLength, "firstName");
        CompanyId = details.CompanyId;
        LastName = Guard.Required(details.LastName, NameMaxLength, "lastName");
        Email = Guard.Optional(details.Email, FieldLengths.Email, "email");
        NormalizedEmail = EmailAddress.NormalizeOptional(Email);
        Phone = Guard.Optional(details.Phone, FieldLengths.Phone, "phone");
        CompanyName = Guard.Optional(details.CompanyName, CompanyMaxLength, "companyName");
        Interest = Guard.Optional(details.Interest, InterestMaxLength, "interest");
        VolumeTier = details.VolumeTier;
        Notes = Guard.Optional(details.Notes, FieldLengths.Notes, "notes");
        SearchText = SearchTextOf();
    }

    private string SearchTextOf() =>
        string.Join(' ', new[] { FirstName, LastName, Email, CompanyName }.Where(v => v is not null)).ToLowerInvariant();
}

/// <summary>The editable descriptive fields of a lead, set together on create and update.</summary>
public sealed record LeadDetails(
    string FirstName,
    string LastName,
    string? Email = null,
    string? Phone = null,
    string? CompanyName = null,
    string? Interest = null,
    VolumeTier? VolumeTier = null,
    string? Notes = null,
    Guid? CompanyId = null);
