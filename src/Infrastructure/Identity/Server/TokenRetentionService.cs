using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Jobs;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// Every code and refresh token has a token entry, and so has every revoked access token (ADR 0023: it is what the API
/// refuses), so entries would pile up without end: every hour, tokens a day past their expiry are deleted, and then authorizations (token families) that have no token
/// left and ended more than a day ago. The platform role finds which tenants have such rows; each tenant's are
/// deleted by a job of that tenant, and tenantless ones (platform clients, operators) in a scope without a tenant,
/// under row-level security like a request. A day's margin keeps an expired token's entry while anything could
/// still present it.
/// </summary>
public sealed class TokenRetentionService(
    DbContexts contexts, ITenantJobRunner jobs, IServiceScopeFactory scopes, TimeProvider clock, ILogger<TokenRetentionService> logger)
    : HourlyRetentionService(clock, logger, "token entries")
{
    private static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    /// <summary>One pass: returns how many token entries and authorizations were deleted.</summary>
    public override async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var before = (Clock.GetUtcNow() - Margin).UtcDateTime;
        var familyBefore = before - TokenFamily.Lifetime;
        List<Guid?> tenants;
        await using (var db = contexts.Platform())
        {
            tenants = await db.OidcTokens.Where(t => t.ExpirationDate < before).Select(t => t.TenantId)
                .Union(db.OidcAuthorizations.Where(a => a.CreationDate < familyBefore).Select(a => a.TenantId))
                .Distinct().ToListAsync(cancellationToken);
        }
        var deleted = 0;
        foreach (var tenant in tenants)
        {
            if (tenant is { } id)
            {
                deleted += await jobs.RunAsync(id, (services, token) => DeleteAsync(services.GetRequiredService<CrmDbContext>(), before, familyBefore, token), cancellationToken);
                continue;
            }
            await using var scope = scopes.CreateAsyncScope();
            deleted += await DeleteAsync(scope.ServiceProvider.GetRequiredService<CrmDbContext>(), before, familyBefore, cancellationToken);
        }
        return deleted;
    }

    /// <summary>In the tenant the context is bound to (row-level security shows it no other rows).</summary>
    private static async Task<int> DeleteAsync(CrmDbContext db, DateTime before, DateTime familyBefore, CancellationToken cancellationToken)
    {
        var tokens = await db.Database.ExecuteSqlAsync($"DELETE FROM oidc_tokens WHERE expiration_date < {before}", cancellationToken);
        var families = await db.Database.ExecuteSqlAsync($"""
            DELETE FROM oidc_authorizations a
            WHERE a.creation_date < {familyBefore} AND NOT EXISTS (SELECT 1 FROM oidc_tokens t WHERE t.authorization_id = a.id)
            """, cancellationToken);
        return tokens + families;
    }
}
