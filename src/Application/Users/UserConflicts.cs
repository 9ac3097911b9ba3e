using CrmTenancy.Application.Common.Errors;

namespace CrmTenancy.Application.Users;

/// <summary>The users module's conflicts: its handlers throw them, and the database's constraints map to them.</summary>
public static class UserConflicts
{
    public static readonly Conflict UserExists = new("user-exists", "A user of this tenant already has this email.");
    public static readonly Conflict LastAdmin = new("last-admin", "The tenant must keep at least one active administrator.");
}
