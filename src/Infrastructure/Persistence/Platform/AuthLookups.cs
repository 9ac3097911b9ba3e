using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>What the API needs to know, on every request, about the account or client a valid token names.</summary>
public sealed record TokenSubjectState(bool Active, string? StampDigest, RecordVisibility Visibility);

/// <summary>
/// The authorization server's reads before a tenant is known (a sign-in names an organisation, a token names a
/// subject), on the platform role: SELECT only, each query bound to one tenant or one client by its own criteria.
/// </summary>
public sealed class AuthLookups(PlatformDb platform)
{
    private static readonly string[] TenantFilter = [CrmDbContext.TenantFilter];

    /// <summary>The id of the active tenant with this slug, or none.</summary>
    public async Task<Guid?> ActiveTenantBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        var normalised = slug.Trim().ToLowerInvariant();
        await using var db = platform.Open();
        return await db.Tenants.AsNoTracking()
            .Where(t => t.Slug == normalised && t.Status == TenantStatus.Active)
            .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>An active client by client id: a platform client, or one of an active tenant.</summary>
    public async Task<OAuthClient?> ActiveClientAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var db = platform.Open();
        return await db.OAuthClients.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.RevokedAt == null)
            .Where(c => c.TenantId == null || db.Tenants.Any(t => t.Id == c.TenantId && t.Status == TenantStatus.Active))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The state of a tenant user (active, in an active tenant), or of a platform operator when there is no tenant.</summary>
    public async Task<TokenSubjectState?> AccountAsync(Guid accountId, Guid? tenantId, CancellationToken cancellationToken)
    {
        await using var db = platform.Open();
        if (tenantId is not { } tenant)
        {
            var account = await db.PlatformOperators.AsNoTracking().Where(o => o.Id == accountId)
                .Select(o => new { o.DeactivatedAt, o.SecurityStamp }).FirstOrDefaultAsync(cancellationToken);
            return account is null
                ? null
                : new TokenSubjectState(account.DeactivatedAt == null, AccessTokenIssuer.StampDigest(account.SecurityStamp), RecordVisibility.Shared);
        }
        var row = await db.Users.IgnoreQueryFilters(TenantFilter).AsNoTracking()
            .Where(u => u.Id == accountId && u.TenantId == tenant)
            .Join(db.Tenants, u => u.TenantId, t => t.Id, (u, t) => new { u.DeactivatedAt, u.SecurityStamp, t.Status, t.RecordVisibility })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? null
            : new TokenSubjectState(row.DeactivatedAt == null && row.Status == TenantStatus.Active, AccessTokenIssuer.StampDigest(row.SecurityStamp), row.RecordVisibility);
    }
}
