using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Tenancy;

namespace CrmTenancy.WebApi.Auth;

/// <summary>The caller, read from the validated token's claims; in a background job's scope, the job.</summary>
public sealed class HttpCurrentUser(IHttpContextAccessor accessor, JobScope job) : ICurrentUser
{
    private System.Security.Claims.ClaimsPrincipal? Principal =>
        !job.IsJob && accessor.HttpContext?.User is { Identity.IsAuthenticated: true } user ? user : null;

    public Guid? UserId => ClientId is { } client && Principal?.FindFirst(ClaimNames.Subject)?.Value is { } sub
                           && sub != client && Guid.TryParse(sub, out var id) ? id : null;

    public string? ClientId => Principal?.FindFirst(ClaimNames.ClientId)?.Value;

    public string? Actor => job.IsJob ? job.ActingAs
        : UserId is { } user ? $"user:{user}" : ClientId is { } client ? $"client:{client}" : null;

    public IReadOnlySet<string> Scopes =>
        Principal?.FindAll(ClaimNames.Scope).Select(c => c.Value).ToHashSet() ?? [];

    public IReadOnlySet<string> Roles =>
        Principal?.FindAll(ClaimNames.Role).Select(c => c.Value).ToHashSet() ?? [];
}

/// <summary>
/// Resolves the request's tenant from the validated token's tenant_id claim, and from nothing else; for a member
/// of an owner-only tenant, also the owner scope the specifications apply.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, TenantContext tenant)
    {
        // The authorization server's own endpoints take the tenant from what they are given (a handle, a sign-in, the
        // session); a bearer token sent along to them as well is not theirs to act on (it made them answer 500).
        if (context.GetEndpoint()?.Metadata.GetMetadata<ResolvesOwnTenant>() is not null)
            return next(context);
        if (context.User.Identity?.IsAuthenticated == true
            && Guid.TryParse(context.User.FindFirst(ClaimNames.TenantId)?.Value, out var tenantId))
        {
            tenant.Resolve(tenantId);
            if (context.User.HasClaim(ClaimNames.OwnerOnly, "true") && Guid.TryParse(context.User.FindFirst(ClaimNames.Subject)?.Value, out var userId))
                tenant.RestrictToOwner(userId);
        }
        return next(context);
    }
}

/// <summary>Endpoint metadata: the endpoint resolves the tenant itself, the bearer token's tenant is not applied to it.</summary>
public sealed class ResolvesOwnTenant
{
    public static readonly ResolvesOwnTenant Instance = new();

    private ResolvesOwnTenant() { }
}
