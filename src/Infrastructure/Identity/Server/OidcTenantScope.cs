using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// The tenant a protocol request works in, entered once (docs/decisions/0019): a tenant's client's own tenant, the
/// tenant a code or refresh token handle names, the tenant of an access token whose signature was verified, or the
/// signed-in account's. Row-level security binds every store query to it; "none" (platform clients' and operators'
/// tokens) is a scope too, and no request can move from one to another.
/// </summary>
public sealed class OidcTenantScope(TenantContext tenant, AuthLookups lookups)
{
    private bool _entered;
    private Guid? _tenantId;

    public bool Entered => _entered;

    public Guid? TenantId => _tenantId;

    /// <summary>The request's client, once <see cref="ServerHandlers.ResolveClientTenant"/> has read it (active, not revoked).</summary>
    public CrmApplication? Client { get; set; }

    /// <summary>The request's client: the one already read, or read now (active, not revoked, its tenant not suspended).</summary>
    public async ValueTask<CrmApplication?> ClientAsync(string? clientId, CancellationToken cancellationToken) =>
        Client is { } client && client.ClientId == clientId ? client
        : clientId is { Length: > 0 and <= CrmApplication.ClientIdMaxLength } ? await lookups.ActiveClientAsync(clientId, cancellationToken)
        : null;

    /// <summary>Enters the scope, or confirms it is the one already entered; false when the request is already in another.</summary>
    public bool TryEnter(Guid? tenantId)
    {
        if (_entered)
            return _tenantId == tenantId;
        _entered = true;
        _tenantId = tenantId;
        if (tenantId is { } id)
            tenant.Resolve(id);
        return true;
    }
}
