using CrmTenancy.Domain.Common;

namespace CrmTenancy.Domain.Users;

/// <summary>
/// The invitation was issued: its email is sent once the invitation has committed (an integration event, through the
/// outbox). <paramref name="SealedToken"/> is the token for that email, sealed by the application so that only the
/// sender can open it; the invitation itself keeps only the token's hash.
/// </summary>
public sealed record InvitationIssued(Guid TenantId, Guid InvitationId, string Email, UserRole Role, DateTimeOffset ExpiresAt, string SealedToken)
    : IIntegrationEvent;

/// <summary>
/// An invitation to join a tenant. The token is sent by email and only its hash is kept; accepting it once
/// creates the user in the inviting tenant.
/// </summary>
public sealed class Invitation : AggregateRoot, ITenantOwned
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private Invitation() { Email = null!; NormalizedEmail = null!; TokenHash = null!; }

    public Guid TenantId { get; private set; }
    public string Email { get; private set; }
    public string NormalizedEmail { get; private set; }
    public UserRole Role { get; private set; }
    public string TokenHash { get; private set; }
    public Guid? InvitedBy { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public Guid? AcceptedUserId { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsPending(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;

    /// <summary>Issues an invitation: it keeps <paramref name="tokenHash"/>, and its email carries the token sealed in <paramref name="sealedToken"/>.</summary>
    public static Invitation Create(
        Guid tenantId, string email, UserRole role, string tokenHash, string sealedToken, Guid? invitedBy, DateTimeOffset now)
    {
        var address = EmailAddress.From(email);
        var invitation = new Invitation
        {
            TenantId = Guard.Tenant(tenantId),
            Email = address.Value,
            NormalizedEmail = address.Normalized,
            Role = Roles.Defined(role),
            TokenHash = tokenHash,
            InvitedBy = invitedBy,
            ExpiresAt = now + Lifetime,
        };
        invitation.Raise(new InvitationIssued(invitation.TenantId, invitation.Id, invitation.Email, invitation.Role, invitation.ExpiresAt, sealedToken));
        return invitation;
    }

    public void Accept(Guid userId, DateTimeOffset now)
    {
        if (!IsPending(now))
            throw new DomainRuleException("invitation-invalid", "The invitation is not valid: it was used, revoked or has expired.");
        AcceptedAt = now;
        AcceptedUserId = userId;
    }

    public void Revoke(DateTimeOffset now)
    {
        if (AcceptedAt is not null)
            throw new DomainRuleException("invitation-accepted", "The invitation was already accepted.");
        RevokedAt ??= now;
    }
}
