using Ardalis.Specification;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Specifications;
using CrmTenancy.Domain.Common;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.Application.Users;

/// <summary>The tenant's users, by display name then id.</summary>
public sealed class UserListSpecification : TenantSpecification<User>
{
    public UserListSpecification(ITenantContext tenant, int page, int pageSize) : base(tenant)
    {
        Query.OrderBy(u => u.DisplayName).ThenBy(u => u.Id);
        Query.Page(page, pageSize).AsNoTracking();
    }
}

/// <summary>Active administrators other than one user: a tenant must keep at least one.</summary>
public sealed class OtherActiveAdminsSpecification : TenantSpecification<User>
{
    public OtherActiveAdminsSpecification(ITenantContext tenant, Guid except) : base(tenant) =>
        Query.Where(u => u.Id != except && u.Role == UserRole.TenantAdmin && u.DeactivatedAt == null);
}

/// <summary>A user of the tenant with this email (case-insensitive).</summary>
public sealed class UserByEmailSpecification : TenantSpecification<User>
{
    public UserByEmailSpecification(ITenantContext tenant, string email) : base(tenant)
    {
        var normalized = EmailAddress.Normalize(email);
        Query.Where(u => u.NormalizedEmail == normalized);
    }
}

/// <summary>An active user of the tenant, for checks that an id names one (assignees).</summary>
public sealed class ActiveUserSpecification : TenantSpecification<User>
{
    public ActiveUserSpecification(ITenantContext tenant, Guid id) : base(tenant) => Query.Where(u => u.Id == id && u.DeactivatedAt == null);
}

public sealed class PendingInvitationsSpecification : TenantSpecification<Invitation>
{
    public PendingInvitationsSpecification(ITenantContext tenant, DateTimeOffset now, string? email = null, Guid? invitedBy = null) : base(tenant)
    {
        Query.Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now);
        if (invitedBy is { } inviter)
            Query.Where(i => i.InvitedBy == inviter);
        if (email is not null)
        {
            var normalized = EmailAddress.Normalize(email);
            Query.Where(i => i.NormalizedEmail == normalized);
        }
        Query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id);
    }
}

public sealed class InvitationByTokenSpecification : TenantSpecification<Invitation>
{
    public InvitationByTokenSpecification(ITenantContext tenant, string tokenHash) : base(tenant) => Query.Where(i => i.TokenHash == tokenHash);
}
