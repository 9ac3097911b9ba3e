using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>A signed-in account as the authorization server sees it: a tenant's user, or a platform operator (no tenant).</summary>
public sealed record AccountInfo(
    Guid Id, Guid? TenantId, string Email, string DisplayName, string Role, string SecurityStamp, bool Active, bool EmailConfirmed = false);

/// <summary>
/// The accounts the authorization server issues tokens for, and what each may hold. Accounts are read on the platform
/// role by id and tenant (read only, and without entering any tenant), so a lookup never changes the request's scope.
/// </summary>
public sealed class Accounts(DbContexts contexts)
{
    /// <summary>The API scopes each role may hold; the identity scopes are open to every account.</summary>
    public static IReadOnlyList<string> ScopesOfRole(string role) => role switch
    {
        nameof(UserRole.TenantAdmin) => [Scopes.Read, Scopes.Write, Scopes.Admin],
        nameof(UserRole.Member) => [Scopes.Read, Scopes.Write],
        PlatformOperator.Role => [Scopes.Platform],
        _ => [],
    };

    /// <summary>What an account gets of what it asked: the scopes its client may ask for and its role may hold.</summary>
    public static List<string> Grant(IEnumerable<string> requested, IReadOnlyCollection<string> clientScopes, string role) =>
        requested.Where(s => clientScopes.Contains(s) && (Scopes.Identity.Contains(s) || ScopesOfRole(role).Contains(s)))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A tenant's user (active only while its tenant is) or, with no tenant, a platform operator.</summary>
    public async Task<AccountInfo?> FindAsync(Guid accountId, Guid? tenantId, CancellationToken cancellationToken)
    {
        await using var db = contexts.Platform();
        if (tenantId is { } id)
        {
            var row = await db.Users.IgnoreQueryFilters([CrmDbContext.TenantFilter]).AsNoTracking().Where(u => u.Id == accountId && u.TenantId == id)
                .Select(u => new { User = u, TenantActive = db.Tenants.Any(t => t.Id == id && t.Status == TenantStatus.Active) })
                .FirstOrDefaultAsync(cancellationToken);
            if (row is null)
                return null;
            var user = row.User;
            return new AccountInfo(user.Id, user.TenantId, user.Email, user.DisplayName, user.Role.ToString(), user.SecurityStamp,
                user.IsActive && row.TenantActive, user.EmailConfirmed);
        }
        var account = await db.PlatformOperators.AsNoTracking().FirstOrDefaultAsync(o => o.Id == accountId, cancellationToken);
        return account is null
            ? null
            : new AccountInfo(account.Id, null, account.Email, account.DisplayName, PlatformOperator.Role, account.SecurityStamp, account.IsActive, account.EmailConfirmed);
    }
}
