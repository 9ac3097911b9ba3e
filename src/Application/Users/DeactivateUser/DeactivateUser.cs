using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common;
using CrmTenancy.Application.Common.Messaging;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using MediatR;

namespace CrmTenancy.Application.Users.DeactivateUser;

/// <summary>
/// Deactivates a user: sign-in and refresh are refused from now on, and their access tokens stop validating at
/// once (the security stamp they carry no longer matches). Their records stay with the tenant.
/// </summary>
public sealed record DeactivateUser(Guid Id, int? ExpectedVersion = null) : ICommand<Unit>, IConditionalCommand, ITenantAdminRequest;

public sealed class DeactivateUserHandler(IRepository<User> users, IRepository<Tenant> tenants, ITenantContext tenant, TimeProvider clock)
    : IRequestHandler<DeactivateUser, Unit>
{
    public async Task<Unit> Handle(DeactivateUser request, CancellationToken cancellationToken)
    {
        var user = await users.LoadForChangeAsync(tenant, request.Id, request.ExpectedVersion, cancellationToken);
        if (user.Role == UserRole.TenantAdmin && user.IsActive)
            await TeamRules.EnsureAnotherActiveAdminAsync(users, tenants, tenant, user.Id, clock.GetUtcNow(), cancellationToken);
        user.Deactivate(clock.GetUtcNow());
        return Unit.Value;
    }
}
