using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// A deactivation revokes the user's tokens and authorizations in the same unit of work, so reactivating the user later
/// does not bring back the sessions issued before it (a lost device's, say): the user signs in again.
/// </summary>
public sealed class RevokeRefreshTokensOnDeactivation(CrmDbContext db) : INotificationHandler<DomainEventNotification<UserDeactivated>>
{
    public async Task Handle(DomainEventNotification<UserDeactivated> notification, CancellationToken cancellationToken)
    {
        var (tenantId, subject) = (notification.DomainEvent.TenantId, notification.DomainEvent.UserId.ToString());
        await db.OidcTokens.Where(t => t.TenantId == tenantId && t.Subject == subject && t.Status != Statuses.Revoked)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, Statuses.Revoked), cancellationToken);
        await db.OidcAuthorizations.Where(a => a.TenantId == tenantId && a.Subject == subject && a.Status != Statuses.Revoked)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, Statuses.Revoked), cancellationToken);
    }
}
