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
}
