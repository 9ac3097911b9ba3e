using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Errors;
using CrmTenancy.Domain.Users;

namespace CrmTenancy.Application.Users;

internal static class TeamRules
{
    /// <summary>A tenant keeps at least one active administrator, or nobody could manage it any more.</summary>
    public static async Task EnsureAnotherActiveAdminAsync(IReadRepository<User> users, ITenantContext tenant, Guid userId, CancellationToken cancellationToken)
    {
        if (!await users.AnyAsync(new OtherActiveAdminsSpecification(tenant, userId), cancellationToken))
            throw new ConflictException("last-admin", "The tenant must keep at least one active administrator.");
    }
}
