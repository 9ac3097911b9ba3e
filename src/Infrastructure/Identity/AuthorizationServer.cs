using System.Security.Cryptography;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Domain.Tenants;
using CrmTenancy.Domain.Users;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.Infrastructure.Identity;

/// <summary>An OAuth2 error (RFC 6749 section 5.2) or a token response.</summary>
public sealed record TokenOutcome(IReadOnlyDictionary<string, object>? Response, string? Error = null, string? Description = null)
{
    public static TokenOutcome Fail(string error, string description) => new(null, error, description);
}

/// <summary>A signed-in account as the authorization server sees it: a tenant's user, or a platform operator (no tenant).</summary>
public sealed record AccountInfo(
    Guid Id, Guid? TenantId, string Email, string DisplayName, string Role, string SecurityStamp, bool Active, bool EmailConfirmed = false);

/// <summary>
/// The protocol core of the in-house authorization server (docs/decisions/0015): codes, refresh tokens, client
/// authentication and the scopes an account may hold. Every read of a code or refresh token happens after the
/// scope's tenant was resolved from the handle itself, so row-level security applies to it; HTTP lives in the web host.
/// </summary>
public sealed class AuthorizationServer(CrmDbContext db, TenantContext tenant, AuthLookups lookups, AccessTokenIssuer issuer, TimeProvider clock)
{
    private static readonly string UnknownClientHash = ClientSecretHasher.Hash(ClientSecretHasher.GenerateSecret());

    /// <summary>The API scopes each role may hold; the identity scopes are open to every account.</summary>
    public static IReadOnlyList<string> ScopesOfRole(string role) => role switch
    {
        nameof(UserRole.TenantAdmin) => [Scopes.Read, Scopes.Write, Scopes.Admin],
        nameof(UserRole.Member) => [Scopes.Read, Scopes.Write],
        PlatformOperator.Role => [Scopes.Platform],
        _ => [],
    };

    /// <summary>What an account gets of what it asked: the scopes its client may ask for and its role may hold.</summary>
    public static List<string> Grant(IEnumerable<string> requested, OAuthClient client, string role) =>
        requested.Where(s => client.AllowedScopes.Contains(s) && (Scopes.Identity.Contains(s) || ScopesOfRole(role).Contains(s)))
            .Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Client authentication at the token, revocation and introspection endpoints: a confidential client proves its
    /// secret, a public client sends its id alone. Unknown clients and wrong secrets fail alike, in the same time.
    /// </summary>
    public async Task<OAuthClient?> AuthenticateClientAsync(string clientId, string? secret, CancellationToken cancellationToken)
    {
        var client = await lookups.ActiveClientAsync(clientId, cancellationToken);
        if (client is { IsPublic: true })
            return secret is null ? client : null;
        var matches = secret is not null && ClientSecretHasher.Verify(secret, client?.SecretHash ?? UnknownClientHash);
        return client is not null && matches ? client : null;
    }

    /// <summary>
    /// The client_credentials grant (RFC 6749 section 4.4) for an authenticated confidential client: the scopes asked
    /// for (all the client may hold when none), never beyond them, and never the platform's for a tenant's client.
    /// </summary>
    public async Task<TokenOutcome> ClientCredentialsAsync(OAuthClient client, string? scope, CancellationToken cancellationToken)
    {
        var requested = Split(scope);
        var granted = requested.Count == 0 ? client.AllowedScopes.ToList() : requested;
        if (granted.Except(client.AllowedScopes, StringComparer.Ordinal).Any() || (client.TenantId is not null && granted.Contains(Scopes.Platform)))
            return TokenOutcome.Fail("invalid_scope", "The requested scope exceeds what the client may ask for.");
        var token = await issuer.IssueAsync(client.ClientId, client.ClientId, client.TenantId, granted, cancellationToken);
        return new TokenOutcome(new Dictionary<string, object>
        {
            ["access_token"] = token.Token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)token.Lifetime.TotalSeconds,
            ["scope"] = string.Join(' ', granted),
        });
    }

    /// <summary>Loads an account in the scope's tenant (a user) or, with no tenant, a platform operator.</summary>
    public async Task<AccountInfo?> FindAccountAsync(Guid accountId, Guid? tenantId, CancellationToken cancellationToken)
    {
        if (tenantId is { } id)
        {
            tenant.Resolve(id);
            // A suspended tenant's users are inactive here too (no code, refresh or session), as they are at the API.
            var row = await db.Users.AsNoTracking().Where(u => u.Id == accountId && u.TenantId == id)
                .Select(u => new { User = u, TenantActive = db.Tenants.Any(t => t.Id == id && t.Status == TenantStatus.Active) })
                .FirstOrDefaultAsync(cancellationToken);
            if (row is null)
                return null;
            var user = row.User;
            return new AccountInfo(user.Id, user.TenantId, user.Email, user.DisplayName, user.Role.ToString(), user.SecurityStamp, user.IsActive && row.TenantActive,
                user.EmailConfirmed);
        }
        var account = await db.PlatformOperators.AsNoTracking().FirstOrDefaultAsync(o => o.Id == accountId, cancellationToken);
        return account is null ? null : new AccountInfo(account.Id, null, account.Email, account.DisplayName, PlatformOperator.Role, account.SecurityStamp, account.IsActive, account.EmailConfirmed);
    }

    /// <summary>Issues a single-use code for an account that signed in, bound to the client, redirect URI and PKCE challenge.</summary>
    public async Task<string> CreateCodeAsync(
        AccountInfo account, OAuthClient client, string redirectUri, string codeChallenge, IReadOnlyList<string> scopes, string? nonce,
        DateTimeOffset authTime, CancellationToken cancellationToken)
    {
        if (account.TenantId is { } id)
            tenant.Resolve(id);
        var (code, hash) = OpaqueHandle.Create(account.TenantId);
        db.AuthorizationCodes.Add(AuthorizationCode.Create(
            account.TenantId, hash, client.ClientId, account.Id, redirectUri, codeChallenge, scopes, nonce, authTime, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    /// <summary>
    /// The authorization_code grant. The code is spent by the first presentation whatever follows, so a stolen code
    /// is worth one try; a second presentation revokes the refresh tokens the first one produced (RFC 6749 4.1.2).
    /// </summary>
    public async Task<TokenOutcome> RedeemCodeAsync(
        OAuthClient client, string? code, string? redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(code) || !OpaqueHandle.TryReadTenant(code, out var tenantId))
            return InvalidGrant("The authorization code is invalid, expired or was already used.");
        if (tenantId is { } id)
            tenant.Resolve(id);
        var hash = OpaqueHandle.Hash(code);
        var stored = await db.AuthorizationCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == hash && c.TenantId == tenantId, cancellationToken);
        if (stored is null)
            return InvalidGrant("The authorization code is invalid, expired or was already used.");

        var now = clock.GetUtcNow();
        return await InFamilyAsync(stored.FamilyId, async () =>
        {
            var spent = await db.AuthorizationCodes.Where(c => c.Id == stored.Id && c.ConsumedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), cancellationToken);
            if (spent == 0)
            {
                await RevokeFamilyAsync(stored.FamilyId, now, cancellationToken);
                return InvalidGrant("The authorization code is invalid, expired or was already used.");
            }
            if (stored.ExpiresAt <= now)
                return InvalidGrant("The authorization code is invalid, expired or was already used.");
            if (stored.ClientId != client.ClientId)
                return InvalidGrant("The authorization code was issued to another client.");
            if (redirectUri != stored.RedirectUri)
                return InvalidGrant("redirect_uri does not match the one of the authorization request.");
            if (!Pkce.IsValidVerifier(codeVerifier))
                return InvalidGrant("code_verifier is required: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].");
            if (!Pkce.Matches(codeVerifier!, stored.CodeChallenge))
                return InvalidGrant("code_verifier does not match the code_challenge.");

            var account = await FindAccountAsync(stored.SubjectId, tenantId, cancellationToken);
            if (account is not { Active: true })
                return InvalidGrant("The account is not active.");
            var scopes = Grant(stored.Scopes, client, account.Role);
            return await IssueAsync(account, client, scopes, stored.FamilyId, now + RefreshToken.FamilyLifetime, stored.AuthTime, stored.Nonce, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// The refresh_token grant with rotation: the presented token is spent and a new one issued in its family. A
    /// token presented again after it was spent means it leaked: the whole family is revoked (RFC 9700 4.14.2).
    /// </summary>
    public async Task<TokenOutcome> RefreshAsync(OAuthClient client, string? refreshToken, string? scope, CancellationToken cancellationToken)
    {
        var stored = await FindRefreshTokenAsync(refreshToken, cancellationToken);
        if (stored is null)
            return InvalidGrant("The refresh token is invalid, expired or revoked.");
        if (stored.ClientId != client.ClientId)
            return InvalidGrant("The refresh token was issued to another client.");

        var now = clock.GetUtcNow();
        if (stored.ConsumedAt is not null)
        {
            await InFamilyAsync(stored.FamilyId, () => RevokeFamilyAsync(stored.FamilyId, now, cancellationToken), cancellationToken);
            return InvalidGrant("The refresh token was already used; its whole family is now revoked.");
        }
        if (stored.RevokedAt is not null || stored.ExpiresAt <= now)
            return InvalidGrant("The refresh token is invalid, expired or revoked.");
        // Checked before the token is spent: a refused request leaves the client its refresh token (RFC 6749 section 6).
        var requested = Split(scope);
        if (requested.Count > 0 && requested.Except(stored.Scopes, StringComparer.Ordinal).Any())
            return TokenOutcome.Fail("invalid_scope", "A refresh may narrow the granted scopes, never widen them.");
        return await InFamilyAsync(stored.FamilyId, async () =>
        {
            var spent = await db.RefreshTokens.Where(t => t.Id == stored.Id && t.ConsumedAt == null && t.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedAt, now), cancellationToken);
            if (spent == 0)
            {
                await RevokeFamilyAsync(stored.FamilyId, now, cancellationToken);
                return InvalidGrant("The refresh token was already used; its whole family is now revoked.");
            }

            var account = await FindAccountAsync(stored.SubjectId, stored.TenantId, cancellationToken);
            if (account is not { Active: true })
            {
                await RevokeFamilyAsync(stored.FamilyId, now, cancellationToken);
                return InvalidGrant("The account is not active.");
            }
            var scopes = Grant(requested.Count > 0 ? requested : stored.Scopes, client, account.Role);
            return await IssueAsync(account, client, scopes, stored.FamilyId, stored.FamilyExpiresAt, stored.AuthTime, null, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>RFC 7009: revokes a refresh token's whole family when it belongs to the calling client; anything else is ignored.</summary>
    public async Task RevokeRefreshTokenAsync(OAuthClient client, string token, CancellationToken cancellationToken)
    {
        var stored = await FindRefreshTokenAsync(token, cancellationToken);
        if (stored is not null && stored.ClientId == client.ClientId)
            await InFamilyAsync(stored.FamilyId, () => RevokeFamilyAsync(stored.FamilyId, clock.GetUtcNow(), cancellationToken), cancellationToken);
    }

    /// <summary>A refresh token by its handle, read in the tenant the handle names (tracked nowhere).</summary>
    public async Task<RefreshToken?> FindRefreshTokenAsync(string? handle, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(handle) || !OpaqueHandle.TryReadTenant(handle, out var tenantId))
            return null;
        if (tenantId is { } id)
            tenant.Resolve(id);
        var hash = OpaqueHandle.Hash(handle);
        return await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash && t.TenantId == tenantId, cancellationToken);
    }

    /// <summary>The claims an account shares with a client for the granted identity scopes (ID token and userinfo).</summary>
    public static Dictionary<string, object> IdentityClaims(AccountInfo account, IReadOnlyCollection<string> scopes)
    {
        var claims = new Dictionary<string, object>();
        if (account.TenantId is { } tenantId)
            claims["tenant_id"] = tenantId.ToString();
        if (scopes.Contains(Scopes.Profile))
            claims["name"] = account.DisplayName;
        if (scopes.Contains(Scopes.Email))
        {
            claims["email"] = account.Email;
            claims["email_verified"] = account.EmailConfirmed;
        }
        return claims;
    }

    private async Task<TokenOutcome> IssueAsync(
        AccountInfo account, OAuthClient client, List<string> scopes, Guid familyId, DateTimeOffset familyExpiresAt, DateTimeOffset authTime,
        string? nonce, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var access = await issuer.IssueAsync(new AccessTokenSubject(
            account.Id.ToString(), client.ClientId, account.TenantId, scopes, account.Role, AccessTokenIssuer.StampDigest(account.SecurityStamp)), cancellationToken);
        var (refresh, hash) = OpaqueHandle.Create(account.TenantId);
        db.RefreshTokens.Add(RefreshToken.Create(account.TenantId, hash, familyId, client.ClientId, account.Id, scopes, authTime, familyExpiresAt, now));
        await db.SaveChangesAsync(cancellationToken);

        var response = new Dictionary<string, object>
        {
            ["access_token"] = access.Token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)access.Lifetime.TotalSeconds,
            ["refresh_token"] = refresh,
            ["scope"] = string.Join(' ', scopes),
        };
        if (scopes.Contains(Scopes.OpenId))
            response["id_token"] = await issuer.IssueIdTokenAsync(account.Id.ToString(), client.ClientId, authTime, nonce, IdentityClaims(account, scopes), cancellationToken);
        return new TokenOutcome(response);
    }

    /// <summary>Call inside <see cref="InFamilyAsync{T}"/> only: outside its lock, a token issued at the same moment escapes.</summary>
    private Task<int> RevokeFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);

    /// <summary>
    /// Runs a change to one token family (spending a code or refresh token and issuing the next, or revoking the family)
    /// in a transaction holding the family's advisory lock. Without it, a reuse's revocation racing the legitimate
    /// request could run between the spend and the insert of the new token, which then stayed valid (RFC 9700 4.14.2).
    /// </summary>
    private async Task<T> InFamilyAsync<T>(Guid familyId, Func<Task<T>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var key = BitConverter.ToInt64(familyId.ToByteArray(), 8);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        var result = await change();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static TokenOutcome InvalidGrant(string description) => TokenOutcome.Fail("invalid_grant", description);

    public static List<string> Split(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>RFC 7636 with S256 only: the challenge is BASE64URL(SHA256(ASCII(code_verifier))).</summary>
public static class Pkce
{
    public static bool IsValidVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>A S256 challenge is 43 base64url characters (256 bits).</summary>
    public static bool IsValidChallenge(string? challenge) =>
        challenge is { Length: 43 } && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Challenge(string verifier) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static bool Matches(string verifier, string challenge) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Challenge(verifier)), Encoding.ASCII.GetBytes(challenge));
}
