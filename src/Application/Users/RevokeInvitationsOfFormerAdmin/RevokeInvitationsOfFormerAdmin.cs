using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.Users.RevokeInvitationsOfFormerAdmin;

/// <summary>
/// When an administrator is deactivated or made a member, the invitations they sent and nobody accepted yet are
/// revoked in the same unit of work: access they granted while trusted does not outlive that trust.
/// </summary>
public sealed class RevokeInvitationsOfFormerAdminHandler(IRepository<Invitation> invitations, ITenantContext tenant, TimeProvider clock)
    : INotificationHandler<DomainEventNotification<UserDeactivated>>, INotificationHandler<DomainEventNotification<UserRoleChanged>>
{
    public Task Handle(DomainEventNotification<UserDeactivated> notification, CancellationToken cancellationToken) =>
        RevokeSentByAsync(notification.DomainEvent.UserId, cancellationToken);

    public Task Handle(DomainEventNotification<UserRoleChanged> notification, CancellationToken cancellationToken) =>
        notification.DomainEvent.Role == UserRole.TenantAdmin ? Task.CompletedTask : RevokeSentByAsync(notification.DomainEvent.UserId, cancellationToken);

    private async Task RevokeSentByAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var invitation in await invitations.ListAsync(new PendingInvitationsSpecification(tenant, now, invitedBy: userId), cancellationToken))
            invitation.Revoke(now);
    }
}
