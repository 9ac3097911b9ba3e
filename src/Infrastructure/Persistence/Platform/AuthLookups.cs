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

    /// <summary>
    /// Whether what a valid token names is still good, in one round trip: its client is active (a tenant's client in an
    /// active tenant, and the token's own tenant for client credentials); for a person, the account is active, in an
    /// active tenant, and its security stamp is the one the token was issued with. Null when any of it fails.
    /// </summary>
    public async Task<TokenSubjectState?> CheckAsync(AccessTokenClaims token, CancellationToken cancellationToken)
    {
        await using var db = platform.Open();
        var clientId = token.ClientId;
        var tenantId = token.TenantId;
        var clients = db.OAuthClients.Where(c => c.ClientId == clientId && c.RevokedAt == null
            && (c.TenantId == null || db.Tenants.Any(t => t.Id == c.TenantId && t.Status == TenantStatus.Active)));
        if (!token.IsUser)
            return await clients.AnyAsync(c => c.TenantId == tenantId, cancellationToken) ? new TokenSubjectState(true, null, RecordVisibility.Shared) : null;
        if (!Guid.TryParse(token.Subject, out var accountId))
            return null;

        TokenSubjectState? state;
        if (tenantId is not { } tenant)
        {
            var account = await db.PlatformOperators.AsNoTracking().Where(o => o.Id == accountId)
                .Select(o => new { o.DeactivatedAt, o.SecurityStamp, ClientActive = clients.Any() }).FirstOrDefaultAsync(cancellationToken);
            state = account is { ClientActive: true }
                ? new TokenSubjectState(account.DeactivatedAt == null, AccessTokenIssuer.StampDigest(account.SecurityStamp), RecordVisibility.Shared)
                : null;
        }
        else
        {
            var row = await db.Users.IgnoreQueryFilters(TenantFilter).AsNoTracking()
                .Where(u => u.Id == accountId && u.TenantId == tenant)
                .Join(db.Tenants, u => u.TenantId, t => t.Id,
                    (u, t) => new { u.DeactivatedAt, u.SecurityStamp, t.Status, t.RecordVisibility, ClientActive = clients.Any() })
                .FirstOrDefaultAsync(cancellationToken);
            state = row is { ClientActive: true }
                ? new TokenSubjectState(row.DeactivatedAt == null && row.Status == TenantStatus.Active, AccessTokenIssuer.StampDigest(row.SecurityStamp), row.RecordVisibility)
                : null;
        }
        return state is { Active: true } && state.StampDigest == token.StampDigest ? state : null;
    }
}
