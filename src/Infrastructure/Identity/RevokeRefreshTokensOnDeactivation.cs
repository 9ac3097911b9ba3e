using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// A deactivation revokes the user's refresh tokens in the same unit of work, so reactivating the user later does not
/// bring back the sessions issued before it (a lost device's, say): the user signs in again.
/// </summary>
public sealed class RevokeRefreshTokensOnDeactivation(CrmDbContext db, TimeProvider clock) : INotificationHandler<DomainEventNotification<UserDeactivated>>
{
    public Task Handle(DomainEventNotification<UserDeactivated> notification, CancellationToken cancellationToken)
    {
        var (tenantId, userId) = (notification.DomainEvent.TenantId, notification.DomainEvent.UserId);
        var now = clock.GetUtcNow();
        return db.RefreshTokens.Where(t => t.TenantId == tenantId && t.SubjectId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }
}
