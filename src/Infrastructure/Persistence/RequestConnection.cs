using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Persistence;

/// <summary>
/// The per-request token check where it costs least. A tenant's token (a member's or an integration's) is checked on
/// the request's own connection: the bearer authentication opens the request's context, whose first batch sets the
/// token's tenant on the connection and runs the check in one round trip (<see cref="CrmDbContext.OpeningCheck"/>);
/// the connection stays open for the request's statements, so a request pays one connection, one pool reset and one
/// round trip fewer than with the check on a connection of its own. Only a request without a body takes this path
/// (the web host decides): one with a body would hold the connection while a slow client sends it. The connection is
/// given back before the answer is written (<see cref="ReleaseAsync"/>). Row-level security shows the check only the
/// token's tenant and the platform's clients, which is all it reads. A token without a tenant (an operator's) is
/// checked on the platform role (<see cref="AuthLookups.CheckAsync"/>).
/// </summary>
public sealed class RequestConnection(CrmDbContext db, TenantContext tenant, AuthLookups lookups)
{
    /// <summary>
    /// What the token names, when it is all still good; null otherwise. The tenant is resolved for the scope only when
    /// the check passed; a failed check leaves the scope without a tenant and closes the connection.
    /// </summary>
    public async Task<TokenSubjectState?> CheckTokenAsync(AccessTokenClaims token, CancellationToken cancellationToken)
    {
        if (token.TenantId is not { } tenantId)
            return await lookups.CheckAsync(token, cancellationToken);
        if (SubjectCheck.For(token) is not { } check)
            return null;
        if (tenant.IsResolved)
            throw new InvalidOperationException("The request's connection is opened by the token check, before any tenant is resolved.");
        db.OpeningCheck = check;
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        finally
        {
            db.OpeningCheck = null;
        }
        if (check.Result is null)
        {
            await db.Database.CloseConnectionAsync();
            return null;
        }
        tenant.Resolve(tenantId);
        return check.Result;
    }

    /// <summary>
    /// Gives the connection back to the pool before the answer is written, so a slow reader holds none: a statement
    /// after that (none is expected) opens it again and sets the tenant as any open does.
    /// </summary>
    public Task ReleaseAsync() => db.Database.CloseConnectionAsync();
}
