using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Tenants;

public enum TenantStatus
{
    Active,
    Suspended,
}

/// <summary>Who inside the tenant sees which customers and contacts.</summary>
public enum RecordVisibility
{
    /// <summary>Every user of the tenant sees all its records.</summary>
    Shared,
    /// <summary>A member sees and changes only the records they own or are assigned; a tenant admin sees all.</summary>
    OwnerOnly,
}

/// <summary>An organisation using the product. Not tenant-owned itself: it is the tenant.</summary>
public sealed partial class Tenant : AggregateRoot
{
    public const int NameMaxLength = 200;
    public const int SlugMaxLength = global::CrmTenancy.Domain.Tenants.Slug.MaxLength;

    private Tenant() { Name = null!; Slug = null!; TagPrefix = null!; }

    public string Name { get; private set; }
    public string Slug { get; private set; }
    public TenantStatus Status { get; private set; }
    /// <summary>Why operators suspended the tenant: shown to its administrators when they try to sign in.</summary>
    public string? SuspensionReason { get; private set; }
    public DateTimeOffset? SuspendedAt { get; private set; }
    /// <summary>The plan whose limits bind the tenant (<see cref="Plans.Plan"/>); a new tenant starts on Free.</summary>
    public string PlanCode { get; private set; } = Plans.Plan.Free;
    /// <summary>
    /// What every tag the product writes to the shared email platform starts with (<see cref="Tenants.TagPrefix"/>):
    /// random, unique, and never changed, so the platform's contacts and tags are told apart by tenant.
    /// </summary>
    public string TagPrefix { get; private set; }
    public RecordVisibility RecordVisibility { get; private set; }
    /// <summary>Whether the tenant's people may sign in with a one-time code sent by email instead of a password.</summary>
    public bool PasswordlessSignIn { get; private set; }
    /// <summary>Customer recommendations: no activity for this many days asks for a follow-up.</summary>
    public int FollowUpAfterDays { get; private set; } = RecommendationSettings.Default.FollowUpAfterDays;
    /// <summary>Customer recommendations: revenue in this top percent of the tenant's customers wants an assignee.</summary>
    public int TopRevenuePercent { get; private set; } = RecommendationSettings.Default.TopRevenuePercent;
    /// <summary>Customer recommendations: an inactive customer who bought within this many days wants a check-in.</summary>
    public int CheckInWithinDays { get; private set; } = RecommendationSettings.Default.CheckInWithinDays;
    /// <summary>When an administrator was last demoted or deactivated; the change also moves the tenant's version.</summary>
    public DateTimeOffset? AdminsChangedAt { get; private set; }

    public static Tenant Create(string name, string slug, Guid? id = null)
    {
        var tenant = new Tenant { Name = Guard.Required(name, NameMaxLength, "name"), Slug = global::CrmTenancy.Domain.Tenants.Slug.From(slug).Value, Status = TenantStatus.Active, TagPrefix = Tenants.TagPrefix.New() };
        if (id is { } given)
            tenant.Id = given == Guid.Empty ? throw new DomainRuleException("tenant-required", "A tenant id cannot be empty.") : given;
        return tenant;
    }

    /// <summary>
    /// Marks a change to who administers the tenant. Saving it moves the tenant row's version, so two such changes
    /// made at the same moment (two admins demoting each other) conflict, and the tenant keeps an administrator.
    /// </summary>
    public void RecordAdminsChanged(DateTimeOffset now) => AdminsChangedAt = now;

    public void ChangeRecordVisibility(RecordVisibility visibility) =>
        RecordVisibility = Enum.IsDefined(visibility)
            ? visibility
            : throw new DomainRuleException("record-visibility-invalid", "Record visibility is Shared or OwnerOnly.");


    public void AllowPasswordlessSignIn(bool allowed) => PasswordlessSignIn = allowed;

    public RecommendationSettings Recommendations => new(FollowUpAfterDays, TopRevenuePercent, CheckInWithinDays);

    public void ChangeRecommendations(RecommendationSettings settings)
    {
        var valid = RecommendationSettings.Of(settings.FollowUpAfterDays, settings.TopRevenuePercent, settings.CheckInWithinDays);
        (FollowUpAfterDays, TopRevenuePercent, CheckInWithinDays) = (valid.FollowUpAfterDays, valid.TopRevenuePercent, valid.CheckInWithinDays);
    }

    public const int SuspensionReasonMaxLength = 500;

    /// <summary>Stops every sign-in, refresh, token and request of the tenant; its data stays as it is.</summary>
    public void Suspend(string reason, DateTimeOffset now)
    {
        if (Status == TenantStatus.Suspended)
            throw new DomainRuleException("tenant-already-suspended", "The tenant is already suspended.");
        SuspensionReason = Guard.Required(reason, SuspensionReasonMaxLength, "reason");
        SuspendedAt = now;
        Status = TenantStatus.Suspended;
    }

    public void Reactivate()
    {
        if (Status == TenantStatus.Active)
            throw new DomainRuleException("tenant-already-active", "The tenant is already active.");
        Status = TenantStatus.Active;
        SuspensionReason = null;
        SuspendedAt = null;
    }

    /// <summary>
    /// Moves the tenant to another plan. A plan below the current usage is allowed: what is there stays, and creates
    /// of that kind are refused until the usage is under the new limit.
    /// </summary>
    public void ChangePlan(string planCode) =>
        PlanCode = string.IsNullOrWhiteSpace(planCode) || planCode.Length > Plans.Plan.CodeMaxLength
            ? throw new DomainRuleException("plan-invalid", "A plan code is required.")
            : planCode;

}
