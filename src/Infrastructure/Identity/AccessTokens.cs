using System.Security.Cryptography;
using System.Text;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>
/// What a verified access token says about its bearer, as the per-request check needs it. <see cref="TokenId"/> names
/// the token: its <c>jti</c> (an access token has no entry until it is revoked, docs/decisions/0023), or the entry id a
/// token issued with one carries; <see cref="AuthorizationId"/> is its family's, for a person's token.
/// </summary>
public sealed record AccessTokenClaims(
    string Subject, string ClientId, Guid? TenantId, IReadOnlyList<string> Scopes, Guid TokenId, Guid? AuthorizationId = null,
    string? Role = null, string? StampDigest = null)
{
    /// <summary>A user's (or operator's) token, as opposed to a client acting for itself.</summary>
    public bool IsUser => Subject != ClientId;
}

/// <summary>The digest of a security stamp that access tokens and sessions carry (the stamp itself never leaves the database).</summary>
public static class SecurityStamps
{
    public static string Digest(string securityStamp) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(securityStamp)))[..16];
}
