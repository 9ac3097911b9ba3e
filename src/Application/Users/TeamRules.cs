using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Application.Tenants;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.Application.Users;

internal static class TeamRules
{
    /// <summary>
    /// A tenant keeps at least one active administrator, or nobody could manage it any more. The check and the change
    /// are made safe against a concurrent one by also changing the tenant row (optimistic concurrency on its version):
    /// of two admins demoting each other at once, one gets 409 concurrent-update.
    /// </summary>
    public static async Task EnsureAnotherActiveAdminAsync(
        IReadRepository<User> users, IRepository<Tenant> tenants, ITenantContext tenant, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = await tenants.FirstOrDefaultAsync(new CurrentTenantSpecification(tenant, tracked: true), cancellationToken)
            ?? throw new NotFoundException(nameof(Tenant), tenant.TenantId);
        if (!await users.AnyAsync(new OtherActiveAdminsSpecification(tenant, userId), cancellationToken))
            throw UserConflicts.LastAdmin.ToException();
        current.RecordAdminsChanged(now);
    }
}
