using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Users;

/// <summary>A person's role inside their tenant.</summary>
public enum UserRole
{
    /// <summary>Manages the team, the tenant's clients and settings, and sees every record.</summary>
    TenantAdmin,
    /// <summary>Works with the tenant's records (all of them, or only their own in owner-only visibility).</summary>
    Member,
}

/// <summary>A person who belongs to exactly one tenant. Emails are unique within the tenant, not across tenants.</summary>
public sealed class User : Account, ITenantOwned
{
    private User() { }

    public Guid TenantId { get; private set; }
    public UserRole Role { get; private set; }

    public static User Create(Guid tenantId, string email, string displayName, UserRole role, Guid? id = null)
    {
        var user = new User { TenantId = Guard.Tenant(tenantId), Role = Defined(role) };
        if (id is { } given)
            user.Id = given;
        user.SetIdentity(email, displayName);
        user.Raise(new UserJoined(user.TenantId, user.Id, role));
        return user;
    }

    public void ChangeRole(UserRole role)
    {
        if (Defined(role) == Role)
            return;
        Role = role;
        RenewSecurityStamp();
        Raise(new UserRoleChanged(TenantId, Id, role));
    }

    /// <summary>Signs the user out everywhere: refresh is refused and access tokens stop validating at once.</summary>
    public void Deactivate(DateTimeOffset now)
    {
        if (!IsActive)
            throw new DomainRuleException("user-already-deactivated", "The user is already deactivated.");
        DeactivatedAt = now;
        RenewSecurityStamp();
        Raise(new UserDeactivated(TenantId, Id));
    }

    public void Reactivate()
    {
        if (IsActive)
            throw new DomainRuleException("user-already-active", "The user is already active.");
        DeactivatedAt = null;
        RenewSecurityStamp();
    }

    private static UserRole Defined(UserRole role) => Roles.Defined(role);
}

public sealed record UserJoined(Guid TenantId, Guid UserId, UserRole Role) : IIntegrationEvent;

public sealed record UserRoleChanged(Guid TenantId, Guid UserId, UserRole Role) : IIntegrationEvent;

public sealed record UserDeactivated(Guid TenantId, Guid UserId) : IIntegrationEvent;
