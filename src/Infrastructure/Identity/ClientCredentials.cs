using CrmTenancy.Application.Abstractions;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

public sealed record ClientCredentialsResult(IssuedToken? Token, IReadOnlyList<string> Scopes, string? Error, string? ErrorDescription);

/// <summary>
/// The client_credentials grant (RFC 6749 section 4.4) for confidential clients of active tenants. Unknown
/// clients, wrong secrets, revoked clients and suspended tenants all answer invalid_client alike.
/// </summary>
public sealed class ClientCredentialsGrant(PlatformDb platform, AccessTokenIssuer issuer)
{
    private static readonly string UnknownClientHash = ClientSecretHasher.Hash(ClientSecretHasher.GenerateSecret());

    public async Task<ClientCredentialsResult> GrantAsync(string clientId, string clientSecret, string? scope, CancellationToken cancellationToken)
    {
        // Before authentication there is no tenant: the lookup by client id reads through the platform role.
        await using var db = platform.Open();
        var client = await db.OAuthClients.AsNoTracking()
            .Where(c => c.ClientId == clientId && c.RevokedAt == null)
            .Where(c => c.TenantId == null || db.Tenants.Any(t => t.Id == c.TenantId && t.Status == TenantStatus.Active))
            .FirstOrDefaultAsync(cancellationToken);

        // Compare against a hash even for an unknown client, so timing does not reveal which client ids exist.
        var secretMatches = ClientSecretHasher.Verify(clientSecret, client?.SecretHash ?? UnknownClientHash);
        if (client is null || !secretMatches)
            return new(null, [], "invalid_client", "Client authentication failed.");

        var requested = (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var granted = requested.Count == 0 ? client.AllowedScopes.ToList() : requested;
        if (granted.Except(client.AllowedScopes, StringComparer.Ordinal).Any()
            || (client.TenantId is not null && granted.Contains(Scopes.Platform)))
            return new(null, [], "invalid_scope", "The requested scope exceeds what the client may ask for.");

        var token = await issuer.IssueAsync(client.ClientId, client.ClientId, client.TenantId, granted, cancellationToken);
        return new(token, granted, null, null);
    }
}
