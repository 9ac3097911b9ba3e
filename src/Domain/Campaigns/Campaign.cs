using CrmTenancy.Domain.Activities;
using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Campaigns;

/// <summary>
/// A calling or email campaign of one tenant against its own contacts and leads. Edited while Draft or Scheduled; its
/// launch turns the audience into targets once (editing the audience afterwards changes nothing of them); then it runs
/// (Active, Paused) until it is completed, or is cancelled before that. Owned like a customer, so record visibility
/// applies to it alike: under owner-only a member sees the campaigns they own or that are shared.
/// </summary>
public sealed class Campaign : AggregateRoot, IShareable, IActivitySubject
{
    public const int NameMaxLength = FieldLengths.Name;
    public const int DescriptionMaxLength = 2000;

    private Campaign() { Name = null!; Audience = new CampaignAudience(); }

    public Guid TenantId { get; private set; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public CampaignChannel Channel { get; private set; }
    public CampaignStatus Status { get; private set; }
    public DateTimeOffset? StartsAt { get; private set; }
    public DateTimeOffset? EndsAt { get; private set; }
    public CampaignAudience Audience { get; private set; }
    /// <summary>The user who runs the campaign; the creator unless changed (none when an integration created it).</summary>
    public Guid? OwnerId { get; private set; }
    /// <summary>Campaigns have an owner only; the assignee of <see cref="IOwnedRecord"/> follows it.</summary>
    public Guid? AssigneeId { get; private set; }
    public bool Shared { get; private set; }
    /// <summary>How many targets the campaign has: those its launch made, and those added and removed by id since.</summary>
    public int TargetCount { get; private set; }
    public DateTimeOffset? LaunchedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }

    public bool IsEditable => Status is CampaignStatus.Draft or CampaignStatus.Scheduled;

    /// <summary>Whether targets may still be added or removed by id: not once the campaign is over.</summary>
    public bool TakesTargets => Status is not (CampaignStatus.Completed or CampaignStatus.Cancelled);

    string IActivitySubject.ActivityTitle => Name;

    public static Campaign Create(Guid tenantId, CampaignDetails details, CampaignChannel channel, Guid? ownerId)
    {
        var campaign = new Campaign
        {
            TenantId = Guard.Tenant(tenantId),
            Channel = channel,
            Status = CampaignStatus.Draft,
            OwnerId = ownerId,
            AssigneeId = ownerId,
        };
        campaign.Apply(details);
        campaign.Raise(new CampaignCreated(campaign.TenantId, campaign.Id));
        return campaign;
    }

    /// <summary>Replaces the editable fields while Draft or Scheduled; the names of those that changed go into the event.</summary>
    public void Update(CampaignDetails details, CampaignChannel channel)
    {
        if (!IsEditable)
            throw new DomainRuleException("campaign-not-editable", $"A {Status} campaign is no longer edited.");
        var before = Details();
        var beforeChannel = Channel;
        Apply(details);
        Channel = channel;
        var changed = FieldChanges.Between(before with { Audience = null! }, Details() with { Audience = null! });
        if (!Audience.Equals(before.Audience))
            changed.Add("audience");
        if (channel != beforeChannel)
            changed.Add("channel");
        if (Status == CampaignStatus.Scheduled && StartsAt is null)
            throw new DomainRuleException("campaign-start-required", "A scheduled campaign keeps a start date.");
        if (changed.Count > 0)
            Raise(new CampaignUpdated(TenantId, Id, changed));
    }

    /// <summary>Gives the campaign to another user of the tenant (its owner), or to no one.</summary>
    public void HandTo(Guid? ownerId)
    {
        if (Guard.Assignee(ownerId) == OwnerId)
            return;
        OwnerId = AssigneeId = ownerId;
        Raise(new CampaignUpdated(TenantId, Id, ["ownerId"]));
    }

    public void ShareWithTenant(bool shared)
    {
        if (shared != Shared)
            Raise(new SharingChanged(TenantId, Id, Shared = shared));
    }

    /// <summary>Draft to Scheduled: the campaign needs its start date.</summary>
    public void Schedule()
    {
        Require(CampaignStatus.Scheduled, CampaignStatus.Draft);
        if (StartsAt is null)
            throw new DomainRuleException("campaign-start-required", "A campaign is scheduled with a start date.");
        Move(CampaignStatus.Scheduled);
    }

    /// <summary>
    /// Draft or Scheduled to Active, at <paramref name="at"/>: the caller has just made the campaign's targets from its
    /// audience (<paramref name="targets"/> of them). A campaign is launched once.
    /// </summary>
    public void Launch(DateTimeOffset at, int targets)
    {
        Require(CampaignStatus.Active, CampaignStatus.Draft, CampaignStatus.Scheduled);
        LaunchedAt = at;
        TargetCount += targets;
        var from = Status;
        Status = CampaignStatus.Active;
        Raise(new CampaignStatusChanged(TenantId, Id, from, Status, targets));
    }

    /// <summary>Whether <see cref="Launch"/> would be allowed now (checked before the targets are made).</summary>
    public void EnsureLaunchable() => Require(CampaignStatus.Active, CampaignStatus.Draft, CampaignStatus.Scheduled);

    public void Pause()
    {
        Require(CampaignStatus.Paused, CampaignStatus.Active);
        Move(CampaignStatus.Paused);
    }

    public void Resume()
    {
        Require(CampaignStatus.Active, CampaignStatus.Paused);
        Move(CampaignStatus.Active);
    }

    public void Complete(DateTimeOffset at)
    {
        Require(CampaignStatus.Completed, CampaignStatus.Active, CampaignStatus.Paused);
        EndedAt = at;
        Move(CampaignStatus.Completed);
    }

    public void Cancel(DateTimeOffset at)
    {
        Require(CampaignStatus.Cancelled, CampaignStatus.Draft, CampaignStatus.Scheduled, CampaignStatus.Active, CampaignStatus.Paused);
        EndedAt = at;
        Move(CampaignStatus.Cancelled);
    }

    /// <summary>Records that targets were added or removed by id; refused once the campaign is over.</summary>
    public void TargetsChanged(int added, int removed)
    {
        EnsureTakesTargets();
        TargetCount += added - removed;
        if (added + removed > 0)
            Raise(new CampaignTargetsChanged(TenantId, Id, added, removed));
    }

    public void EnsureTakesTargets()
    {
        if (!TakesTargets)
            throw new DomainRuleException("campaign-closed", $"A {Status} campaign takes no more changes of its targets.");
    }

    /// <summary>Only a draft is deleted: a campaign that ran keeps its targets and calls.</summary>
    public void MarkDeleted()
    {
        if (Status != CampaignStatus.Draft)
            throw new DomainRuleException("campaign-not-draft", $"A {Status} campaign is cancelled, not deleted.");
        Raise(new CampaignDeleted(TenantId, Id));
    }

    private void Require(CampaignStatus to, params CampaignStatus[] from) => StatusRules.Require("campaign-status-transition", "campaign", Status, to, from);

    private void Move(CampaignStatus to)
    {
        var from = Status;
        Status = to;
        Raise(new CampaignStatusChanged(TenantId, Id, from, to));
    }

    private CampaignDetails Details() => new(Name, Description, StartsAt, EndsAt, Audience);

    private void Apply(CampaignDetails details)
    {
        Name = Guard.Required(details.Name, NameMaxLength, "name");
        Description = Guard.Optional(details.Description, DescriptionMaxLength, "description");
        if (details.StartsAt is { } start && details.EndsAt is { } end && end <= start)
            throw new DomainRuleException("campaign-dates", "A campaign ends after it starts.");
        StartsAt = details.StartsAt;
        EndsAt = details.EndsAt;
        Audience = (details.Audience ?? new CampaignAudience()).Normalised();
    }
}

/// <summary>The editable fields of a campaign, set together on create and update.</summary>
public sealed record CampaignDetails(
    string Name,
    string? Description = null,
    DateTimeOffset? StartsAt = null,
    DateTimeOffset? EndsAt = null,
    CampaignAudience? Audience = null);
