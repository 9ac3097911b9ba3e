namespace CrmTenancy.Infrastructure.Identity;

public enum ClientType
{
    /// <summary>Holds a secret (a server-side integration): client_credentials, and the code flow when it has redirect URIs.</summary>
    Confidential,
    /// <summary>Cannot keep a secret (the team's web app in a browser): the code flow with PKCE only.</summary>
    Public,
}

/// <summary>
/// An OAuth2 client: a tenant's integration (confidential), or, without a tenant, a client the platform configures
/// (the team's public web app, an operator's confidential client). The token endpoint finds it by client id before
/// any tenant is known, through the platform role; tokens issued to a tenant's client carry its tenant.
/// </summary>
public sealed class OAuthClient
{
    public const int ClientIdMaxLength = 100;
    public const int NameMaxLength = 200;

    private OAuthClient() { ClientId = null!; Name = null!; }

    public Guid Id { get; private set; }
    /// <summary>The owning tenant; none for a client the platform configures.</summary>
    public Guid? TenantId { get; private set; }
    public string ClientId { get; private set; }
    public string Name { get; private set; }
    public ClientType Type { get; private set; }
    /// <summary>SHA-256 hash of the secret (<see cref="ClientSecretHasher"/>); none for a public client.</summary>
    public string? SecretHash { get; private set; }
    public string[] AllowedScopes { get; private set; } = [];
    /// <summary>Matched exactly, character for character; none means no authorization code flow.</summary>
    public string[] RedirectUris { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SecretRotatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    /// <summary>Starts at 1 and grows with each change (a rotation, the revocation): the ETag If-Match compares.</summary>
    public int Version { get; private set; } = 1;

    public bool IsPublic => Type == ClientType.Public;

    public bool AllowsAuthorizationCode => RedirectUris.Length > 0;

    public static OAuthClient CreateConfidential(
        Guid? tenantId, string clientId, string name, string secretHash, IEnumerable<string> scopes, DateTimeOffset now,
        IEnumerable<string>? redirectUris = null) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            ClientId = clientId,
            Name = name,
            Type = ClientType.Confidential,
            SecretHash = secretHash,
            AllowedScopes = scopes.Distinct(StringComparer.Ordinal).ToArray(),
            RedirectUris = (redirectUris ?? []).Distinct(StringComparer.Ordinal).ToArray(),
            CreatedAt = now,
        };

    /// <summary>A public client of the platform (no tenant, no secret): PKCE is its only proof.</summary>
    public static OAuthClient CreatePublic(string clientId, string name, IEnumerable<string> scopes, IEnumerable<string> redirectUris, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            ClientId = clientId,
            Name = name,
            Type = ClientType.Public,
            AllowedScopes = scopes.Distinct(StringComparer.Ordinal).ToArray(),
            RedirectUris = redirectUris.Distinct(StringComparer.Ordinal).ToArray(),
            CreatedAt = now,
        };

    public void RotateSecret(string secretHash, DateTimeOffset now)
    {
        if (IsPublic)
            throw new InvalidOperationException("A public client has no secret.");
        SecretHash = secretHash;
        SecretRotatedAt = now;
        Version++;
    }

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
            return;
        RevokedAt = now;
        Version++;
    }
}
