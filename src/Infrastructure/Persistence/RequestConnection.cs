using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// The per-request token check where it costs least. A tenant's token (a member's or an integration's) is checked on
/// the request's own connection: the bearer authentication resolves the token's tenant and opens the request's context,
/// whose first batch sets the tenant and runs the check in one round trip (<see cref="CrmDbContext.OpeningCheck"/>);
/// the connection stays open for the request's statements, so a request pays one connection, one pool reset and one
/// round trip fewer than with the check on a connection of its own. Row-level security shows the check only the
/// token's tenant and the platform's clients, which is all it reads. A token without a tenant (an operator's) is
/// checked on the platform role (<see cref="AuthLookups.CheckAsync"/>).
/// </summary>
public sealed class RequestConnection(CrmDbContext db, TenantContext tenant, AuthLookups lookups)
{
    /// <summary>What the token names, when it is all still good; null otherwise.</summary>
    public async Task<TokenSubjectState?> CheckTokenAsync(AccessTokenClaims token, CancellationToken cancellationToken)
    {
        if (token.TenantId is not { } tenantId)
            return await lookups.CheckAsync(token, cancellationToken);
        if (SubjectCheck.For(token) is not { } check)
            return null;
        tenant.Resolve(tenantId);
        db.OpeningCheck = check;
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        finally
        {
            db.OpeningCheck = null;
        }
        return check.Result;
    }
}
