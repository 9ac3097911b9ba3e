namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// A confidential OAuth2 client: a tenant's integration (client credentials), or, without a tenant, a platform
/// operator's client. The token endpoint finds it by client id before any tenant is known, through the platform
/// role (row-level security lets tenants see only their own clients); its tokens carry its tenant, if any.
/// </summary>
public sealed class OAuthClient
{
    public const int ClientIdMaxLength = 100;
    public const int NameMaxLength = 200;

    private OAuthClient() { ClientId = null!; Name = null!; SecretHash = null!; }

    public Guid Id { get; private set; }
    /// <summary>The owning tenant; none for a platform operator's client.</summary>
    public Guid? TenantId { get; private set; }
    public string ClientId { get; private set; }
    public string Name { get; private set; }
    /// <summary>SHA-256 hash of the secret (<see cref="ClientSecretHasher"/>); the secret itself is never stored.</summary>
    public string SecretHash { get; private set; }
    public string[] AllowedScopes { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static OAuthClient CreateConfidential(
        Guid? tenantId, string clientId, string name, string secretHash, IEnumerable<string> scopes, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            ClientId = clientId,
            Name = name,
            SecretHash = secretHash,
            AllowedScopes = scopes.Distinct(StringComparer.Ordinal).ToArray(),
            CreatedAt = now,
        };

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
