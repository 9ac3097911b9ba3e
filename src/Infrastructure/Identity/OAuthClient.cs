namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// A confidential OAuth2 client of one tenant (an integration using client credentials). It belongs to a tenant,
/// but the token endpoint must find it before any tenant is known, so it is an identity-store record read by
/// client id, not a tenant-owned aggregate; its tokens carry its tenant.
/// </summary>
public sealed class OAuthClient
{
    public const int ClientIdMaxLength = 100;
    public const int NameMaxLength = 200;

    private OAuthClient() { ClientId = null!; Name = null!; SecretHash = null!; }

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string ClientId { get; private set; }
    public string Name { get; private set; }
    /// <summary>SHA-256 hash of the secret (<see cref="ClientSecretHasher"/>); the secret itself is never stored.</summary>
    public string SecretHash { get; private set; }
    public string[] AllowedScopes { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static OAuthClient CreateConfidential(
        Guid tenantId, string clientId, string name, string secretHash, IEnumerable<string> scopes, DateTimeOffset now) =>
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
