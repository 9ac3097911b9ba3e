namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// An authorization code (RFC 6749 section 4.1): single use, short lived, bound to the client, the redirect URI and
/// the PKCE challenge. Only the hash of the code is stored; the code names its tenant (OpaqueHandle) so redeeming it
/// reads under that tenant's row-level security.
/// </summary>
public sealed class AuthorizationCode
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private AuthorizationCode() { CodeHash = null!; ClientId = null!; RedirectUri = null!; CodeChallenge = null!; }

    public Guid Id { get; private set; }
    /// <summary>The user's tenant; none for a platform operator.</summary>
    public Guid? TenantId { get; private set; }
    public string CodeHash { get; private set; }
    public string ClientId { get; private set; }
    public Guid SubjectId { get; private set; }
    public string RedirectUri { get; private set; }
    /// <summary>BASE64URL(SHA256(code_verifier)); S256 is the only method.</summary>
    public string CodeChallenge { get; private set; }
    public string[] Scopes { get; private set; } = [];
    public string? Nonce { get; private set; }
    public DateTimeOffset AuthTime { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? ConsumedAt { get; private set; }
    /// <summary>The refresh token family issued when the code was redeemed; revoked if the code is replayed.</summary>
    public Guid FamilyId { get; private set; }

    public static AuthorizationCode Create(
        Guid? tenantId, string codeHash, string clientId, Guid subjectId, string redirectUri, string codeChallenge,
        IEnumerable<string> scopes, string? nonce, DateTimeOffset authTime, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            CodeHash = codeHash,
            ClientId = clientId,
            SubjectId = subjectId,
            RedirectUri = redirectUri,
            CodeChallenge = codeChallenge,
            Scopes = scopes.ToArray(),
            Nonce = nonce,
            AuthTime = authTime,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
            FamilyId = Guid.CreateVersion7(),
        };
}

/// <summary>
/// A refresh token: opaque, stored hashed, rotated on every use. All tokens descending from one authorization
/// share a family; presenting a token that was already rotated revokes the whole family (RFC 9700 section 4.14.2).
/// </summary>
public sealed class RefreshToken
{
    /// <summary>How long one token may wait to be used.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);
    /// <summary>How long a family lives, however often it is rotated: then the user signs in again.</summary>
    public static readonly TimeSpan FamilyLifetime = TimeSpan.FromDays(30);

    private RefreshToken() { TokenHash = null!; ClientId = null!; }

    public Guid Id { get; private set; }
    public Guid? TenantId { get; private set; }
    public string TokenHash { get; private set; }
    public Guid FamilyId { get; private set; }
    public string ClientId { get; private set; }
    public Guid SubjectId { get; private set; }
    public string[] Scopes { get; private set; } = [];
    public DateTimeOffset AuthTime { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset FamilyExpiresAt { get; private set; }
    public DateTimeOffset? ConsumedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static RefreshToken Create(
        Guid? tenantId, string tokenHash, Guid familyId, string clientId, Guid subjectId, IEnumerable<string> scopes,
        DateTimeOffset authTime, DateTimeOffset familyExpiresAt, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            TokenHash = tokenHash,
            FamilyId = familyId,
            ClientId = clientId,
            SubjectId = subjectId,
            Scopes = scopes.ToArray(),
            AuthTime = authTime,
            CreatedAt = now,
            ExpiresAt = now + Lifetime < familyExpiresAt ? now + Lifetime : familyExpiresAt,
            FamilyExpiresAt = familyExpiresAt,
        };
}
