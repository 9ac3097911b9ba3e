using System.Text.Json;
using CrmTenancy.Application.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Abstractions;
using Scopes = CrmTenancy.Application.Abstractions.Scopes;
using ClientTypes = OpenIddict.Abstractions.OpenIddictConstants.ClientTypes;
using ApplicationTypes = OpenIddict.Abstractions.OpenIddictConstants.ApplicationTypes;
using ConsentTypes = OpenIddict.Abstractions.OpenIddictConstants.ConsentTypes;
using Grants = OpenIddict.Abstractions.OpenIddictConstants.Permissions;
using Needs = OpenIddict.Abstractions.OpenIddictConstants.Requirements;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// An OAuth2 client, stored by OpenIddict (table oidc_applications): a tenant's integration (confidential), or,
/// without a tenant, a client the platform configures (the team's public web app, an operator's confidential client).
/// What OpenIddict checks (redirect URIs, permissions) is derived from the product's own terms when the client is
/// made: its scopes, whether it has a secret, and its redirect URIs.
/// </summary>
public sealed class CrmApplication : OpenIddictEntityFrameworkCoreApplication<Guid, CrmAuthorization, CrmToken>
{
    public const int ClientIdMaxLength = 100;
    public const int NameMaxLength = 200;

    /// <summary>The owning tenant; none for a client the platform configures.</summary>
    public Guid? TenantId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SecretRotatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    /// <summary>Starts at 1 and grows with each change (a rotation, the revocation): the ETag If-Match compares.</summary>
    public int Version { get; private set; } = 1;

    public bool IsPublic => ClientType == ClientTypes.Public;

    public string Name => DisplayName ?? ClientId ?? "";

    public IReadOnlyList<string> AllowedScopes => JsonList(Permissions)
        .Where(p => p.StartsWith(Grants.Prefixes.Scope, StringComparison.Ordinal))
        .Select(p => p[Grants.Prefixes.Scope.Length..]).ToList();

    public IReadOnlyList<string> RedirectUriList => JsonList(RedirectUris);

    public bool AllowsAuthorizationCode => RedirectUriList.Count > 0;

    /// <summary>A confidential client: client credentials, and the code flow with refresh tokens when it has redirect URIs.</summary>
    public static CrmApplication CreateConfidential(
        Guid? tenantId, string clientId, string name, string secretHash, IEnumerable<string> scopes, DateTimeOffset now,
        IEnumerable<string>? redirectUris = null) =>
        Create(tenantId, clientId, name, ClientTypes.Confidential, secretHash, scopes, redirectUris ?? [], now);

    /// <summary>A public client of the platform (no tenant, no secret): PKCE is its only proof.</summary>
    public static CrmApplication CreatePublic(string clientId, string name, IEnumerable<string> scopes, IEnumerable<string> redirectUris, DateTimeOffset now) =>
        Create(null, clientId, name, ClientTypes.Public, null, scopes, redirectUris, now);

    private static CrmApplication Create(
        Guid? tenantId, string clientId, string name, string clientType, string? secretHash, IEnumerable<string> scopes,
        IEnumerable<string> redirectUris, DateTimeOffset now)
    {
        var uris = redirectUris.Distinct(StringComparer.Ordinal).ToList();
        var scopeList = scopes.Distinct(StringComparer.Ordinal).ToList();
        return new CrmApplication
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            ClientId = clientId,
            DisplayName = name,
            ClientType = clientType,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            ClientSecret = secretHash,
            RedirectUris = JsonSerializer.Serialize(uris),
            Permissions = JsonSerializer.Serialize(PermissionsFor(clientType, scopeList, uris.Count > 0)),
            Requirements = JsonSerializer.Serialize(uris.Count > 0 ? [Needs.Features.ProofKeyForCodeExchange] : Array.Empty<string>()),
            ConcurrencyToken = Guid.NewGuid().ToString(),
            CreatedAt = now,
        };
    }

    /// <summary>What OpenIddict lets the client do, from the product's terms.</summary>
    public static List<string> PermissionsFor(string clientType, IReadOnlyCollection<string> scopes, bool codeFlow)
    {
        var permissions = new List<string> { Grants.Endpoints.Token, Grants.Endpoints.Revocation };
        if (clientType == ClientTypes.Confidential)
        {
            permissions.Add(Grants.Endpoints.Introspection);
            permissions.Add(Grants.GrantTypes.ClientCredentials);
        }
        if (codeFlow)
        {
            permissions.Add(Grants.Endpoints.Authorization);
            permissions.Add(Grants.GrantTypes.AuthorizationCode);
            permissions.Add(Grants.GrantTypes.RefreshToken);
            permissions.Add(Grants.ResponseTypes.Code);
        }
        permissions.AddRange(scopes.Where(s => s != Scopes.OpenId).Select(s => Grants.Prefixes.Scope + s));
        // openid needs no permission in OpenIddict; it is kept so the client's scopes read back as they were given.
        if (scopes.Contains(Scopes.OpenId))
            permissions.Add(Grants.Prefixes.Scope + Scopes.OpenId);
        return permissions;
    }

    public void RotateSecret(string secretHash, DateTimeOffset now)
    {
        if (IsPublic)
            throw new InvalidOperationException("A public client has no secret.");
        ClientSecret = secretHash;
        SecretRotatedAt = now;
        ConcurrencyToken = Guid.NewGuid().ToString();
        Version++;
    }

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
            return;
        RevokedAt = now;
        ConcurrencyToken = Guid.NewGuid().ToString();
        Version++;
    }

    private static List<string> JsonList(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
}

/// <summary>An authorization (one sign-in's grant to a client): the family every code, refresh and access token of it belongs to.</summary>
public sealed class CrmAuthorization : OpenIddictEntityFrameworkCoreAuthorization<Guid, CrmApplication, CrmToken>, ITenantStamped
{
    /// <summary>The user's tenant; none for a platform operator or a platform client.</summary>
    public Guid? TenantId { get; set; }
}

/// <summary>A token entry: codes and refresh tokens (reference handles, payload stored) and access tokens (their status, for revocation).</summary>
public sealed class CrmToken : OpenIddictEntityFrameworkCoreToken<Guid, CrmApplication, CrmAuthorization>, ITenantStamped
{
    public Guid? TenantId { get; set; }
}

/// <summary>OpenIddict's scope entity; the product registers its scopes in code, so the table stays empty.</summary>
public sealed class CrmScope : OpenIddictEntityFrameworkCoreScope<Guid>;

/// <summary>A row OpenIddict writes that takes the tenant of the request it was written in, at the save.</summary>
public interface ITenantStamped
{
    Guid? TenantId { get; set; }
}
