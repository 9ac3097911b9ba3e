namespace CrmTenancy.Domain.Common;

/// <summary>
/// A tenant record with an owner (the user who created it; none when an integration did) and an assignee. In a
/// tenant whose record visibility is owner-only, a member sees and changes only the records they own or are
/// assigned; the tenant specification adds that criterion next to the tenant one.
/// </summary>
public interface IOwnedRecord : ITenantOwned
{
    Guid? OwnerId { get; }
    Guid? AssigneeId { get; }

    /// <summary>
    /// Shared with the whole tenant: under owner-only visibility every member sees it, and only its owner, its
    /// assignee and the administrators change it.
    /// </summary>
    bool Shared { get; }
}

/// <summary>A record its owner, assignee or an administrator can share with the whole tenant (<see cref="IOwnedRecord.Shared"/>).</summary>
public interface IShareable : IOwnedRecord
{
    void ShareWithTenant(bool shared);
}

/// <summary>The record was shared with the tenant, or its sharing ended (any shareable record's timeline entry).</summary>
public sealed record SharingChanged(Guid TenantId, Guid RecordId, bool Shared) : Activities.IActivityEvent
{
    public Activities.ActivityDescription Describe(string title) =>
        new(Shared ? Activities.ActivityActions.Shared : Activities.ActivityActions.Unshared, Shared ? $"{title} shared with the team" : $"{title} no longer shared with the team",
            To: Shared ? "true" : "false");
}
