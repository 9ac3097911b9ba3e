using System.Security.Claims;
using System.Text.Json.Serialization;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = CrmTenancy.Application.Abstractions.Scopes;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>What a protocol endpoint answers: tokens for this principal, a sign-in first, or an OAuth error.</summary>
public abstract record GrantOutcome
{
    public sealed record Issue(ClaimsPrincipal Principal) : GrantOutcome;

    /// <summary>The person must sign in (again) before the authorization request can go on.</summary>
    public sealed record SignInFirst : GrantOutcome;

    public sealed record Refuse(string Error, string Description) : GrantOutcome;
}

/// <summary>The session an authorization request comes with, as its cookie said it: who, since when, with which stamp.</summary>
public sealed record SessionClaims(Guid AccountId, Guid? TenantId, DateTimeOffset AuthTime, string? StampDigest);

/// <summary>The OpenID Connect userinfo answer (Core section 5.3.2): the claims of the identity scopes granted.</summary>
public sealed record UserInfoResponse(
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("tenant_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TenantId,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonPropertyName("email_verified"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? EmailVerified);

/// <summary>
/// The product's half of the protocol (docs/decisions/0019), the one service the authorization, token and userinfo
/// endpoints call. OpenIddict has validated the request (client, redirect URI, PKCE, code or refresh token, scopes the
/// client may ask for); this decides what the tokens say: the account's current role, stamp and tenant, the scopes its
/// role and the client allow, the family a refresh continues. Accounts are read on the platform role and never enter a
/// tenant; the request's tenant was entered by <see cref="ServerHandlers"/>, once.
/// </summary>
public sealed class ProtocolGrants(Accounts accounts, OidcTenantScope scope, CrmDbContext db, TokenFamily family, TimeProvider clock)
{
    /// <summary>The claim with the digest of the account's security stamp at issue (the API compares it on every request).</summary>
    public const string StampClaim = "sst";

    public const string RoleClaim = "role";

    private ValueTask<CrmApplication?> ClientAsync(OpenIddictRequest request, CancellationToken cancellationToken) =>
        scope.ClientAsync(request.ClientId, cancellationToken);

    /// <summary>The authorization endpoint, once a request is valid: who signs in, and with which scopes.</summary>
    public async Task<GrantOutcome> AuthorizeAsync(OpenIddictRequest request, SessionClaims? session, CancellationToken cancellationToken)
    {
        if (await ClientAsync(request, cancellationToken) is not { } client)
            return new GrantOutcome.Refuse(Errors.InvalidClient, "The client is unknown or was revoked.");
        var requested = request.GetScopes();
        if (requested.IsEmpty)
            return new GrantOutcome.Refuse(Errors.InvalidScope, "scope is required.");
        if (request.Nonce is { Length: > 512 })
            return new GrantOutcome.Refuse(Errors.InvalidRequest, "nonce is too long.");

        var account = session is null ? null : await accounts.FindAsync(session.AccountId, session.TenantId, cancellationToken);
        var current = account is { Active: true } && SecurityStamps.Digest(account.SecurityStamp) == session!.StampDigest;
        if (!current || request.HasPromptValue(PromptValues.Login))
            return request.HasPromptValue(PromptValues.None)
                ? new GrantOutcome.Refuse(Errors.LoginRequired, "The user is not signed in.")
                : new GrantOutcome.SignInFirst();
        // A tenant's client serves that tenant's people only: anyone else is refused, the client learns nothing more.
        if (client.TenantId is { } clientTenant && clientTenant != account!.TenantId)
            return new GrantOutcome.Refuse(Errors.AccessDenied, "This client belongs to another organisation.");

        var identity = AccountIdentity(account!, Accounts.Grant(requested, client.AllowedScopes, account!.Role));
        identity.SetClaim(Claims.AuthenticationTime, session!.AuthTime.ToUnixTimeSeconds());
        SetDestinations(identity);
        return new GrantOutcome.Issue(new ClaimsPrincipal(identity));
    }

    /// <summary>client_credentials: the scopes asked for (all the client may hold when none), never the platform's for a tenant's client.</summary>
    public async Task<GrantOutcome> ClientCredentialsAsync(OpenIddictRequest request, CancellationToken cancellationToken)
    {
        if (await ClientAsync(request, cancellationToken) is not { } client)
            return new GrantOutcome.Refuse(Errors.InvalidClient, "Client authentication failed.");
        var requested = request.GetScopes();
        var granted = requested.IsEmpty ? client.AllowedScopes.ToList() : requested.ToList();
        // Scopes beyond the client's were refused before (TokenRequestHandlers.ClientPermissions); the platform's never
        // go to a tenant's client, whatever it was configured with.
        if (client.TenantId is not null && granted.Contains(Scopes.Platform))
            return new GrantOutcome.Refuse(Errors.InvalidScope, "A tenant's client may not ask for the platform's scope.");
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId);
        if (client.TenantId is { } tenant)
            identity.SetClaim(ServerHandlers.TenantClaim, tenant.ToString());
        identity.SetScopes(granted);
        identity.SetResources(AuthorizationServerSetup.Audience);
        SetDestinations(identity);
        return new GrantOutcome.Issue(new ClaimsPrincipal(identity));
    }

    /// <summary>
    /// authorization_code or refresh_token, whose code or token OpenIddict validated into <paramref name="validated"/>: the
    /// account must still be active (else its family is revoked), its role and stamp are read afresh, a refresh may narrow
    /// the scopes, and the family and the original sign-in's time carry over; a rotated refresh token never outlives its family.
    /// </summary>
    public async Task<GrantOutcome> RedeemAsync(OpenIddictRequest request, ClaimsPrincipal validated, CancellationToken cancellationToken)
    {
        if (await ClientAsync(request, cancellationToken) is not { } client)
            return new GrantOutcome.Refuse(Errors.InvalidClient, "Client authentication failed.");
        var account = Guid.TryParse(validated.GetClaim(Claims.Subject), out var accountId)
            ? await accounts.FindAsync(accountId, ServerHandlers.TenantOf(validated), cancellationToken)
            : null;
        if (account is not { Active: true })
        {
            if (Guid.TryParse(validated.GetAuthorizationId(), out var authorizationId))
                await TokenFamilies.RevokeAsync(db, authorizationId, cancellationToken);
            return new GrantOutcome.Refuse(Errors.InvalidGrant, "The account is not active.");
        }
        var scopes = validated.GetScopes().AsEnumerable();
        if (request.IsRefreshTokenGrantType() && !request.GetScopes().IsEmpty)
            scopes = scopes.Intersect(request.GetScopes(), StringComparer.Ordinal);
        var identity = AccountIdentity(account, Accounts.Grant(scopes, client.AllowedScopes, account.Role));
        identity.SetAuthorizationId(validated.GetAuthorizationId());
        if (long.TryParse(validated.GetClaim(Claims.AuthenticationTime), out var authTime))
            identity.SetClaim(Claims.AuthenticationTime, authTime);
        var now = clock.GetUtcNow();
        if (family.EndsAt is { } end && end - now < TimeSpan.FromDays(14))
            identity.SetRefreshTokenLifetime(end > now ? end - now : TimeSpan.Zero);
        SetDestinations(identity);
        return new GrantOutcome.Issue(new ClaimsPrincipal(identity));
    }

    /// <summary>Userinfo for a verified access token: a person's token with openid, whose account is active and unchanged.</summary>
    public async Task<(UserInfoResponse? Answer, GrantOutcome.Refuse? Refusal)> UserInfoAsync(ClaimsPrincipal validated, CancellationToken cancellationToken)
    {
        if (!validated.HasScope(Scopes.OpenId) || validated.GetClaim(RoleClaim) is null || !Guid.TryParse(validated.GetClaim(Claims.Subject), out var accountId))
            return (null, new GrantOutcome.Refuse(Errors.InsufficientScope, "Userinfo needs a person's access token with the openid scope."));
        if (await accounts.FindAsync(accountId, ServerHandlers.TenantOf(validated), cancellationToken) is not { Active: true } account
            || SecurityStamps.Digest(account.SecurityStamp) != validated.GetClaim(StampClaim))
            return (null, new GrantOutcome.Refuse(Errors.InvalidToken, "The token's account is not active or its rights changed."));
        var scopes = validated.GetScopes();
        var profile = scopes.Contains(Scopes.Profile);
        var email = scopes.Contains(Scopes.Email);
        return (new UserInfoResponse(account.Id.ToString(), account.TenantId?.ToString(), profile ? account.DisplayName : null,
            email ? account.Email : null, email ? account.EmailConfirmed : null), null);
    }

    /// <summary>The identity of an account with the scopes it was granted: what every token of it says.</summary>
    private static ClaimsIdentity AccountIdentity(AccountInfo account, IReadOnlyCollection<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Id.ToString());
        if (account.TenantId is { } tenant)
            identity.SetClaim(ServerHandlers.TenantClaim, tenant.ToString());
        identity.SetClaim(RoleClaim, account.Role);
        identity.SetClaim(StampClaim, SecurityStamps.Digest(account.SecurityStamp));
        if (scopes.Contains(Scopes.Profile))
            identity.SetClaim(Claims.Name, account.DisplayName);
        if (scopes.Contains(Scopes.Email))
        {
            identity.SetClaim(Claims.Email, account.Email);
            identity.AddClaim(new Claim(Claims.EmailVerified, account.EmailConfirmed ? "true" : "false", ClaimValueTypes.Boolean));
        }
        identity.SetScopes(scopes);
        if (scopes.Any(Scopes.All.Contains))
            identity.SetResources(AuthorizationServerSetup.Audience);
        return identity;
    }

    /// <summary>
    /// Where each claim goes: the access token carries who (sub, tenant_id, role, the stamp digest) for the API; the ID
    /// token carries who and the profile claims the scopes grant; nothing else leaves the server.
    /// </summary>
    private static void SetDestinations(ClaimsIdentity identity)
    {
        foreach (var claim in identity.Claims)
        {
            claim.SetDestinations(claim.Type switch
            {
                Claims.Subject or ServerHandlers.TenantClaim => [Destinations.AccessToken, Destinations.IdentityToken],
                RoleClaim or StampClaim => [Destinations.AccessToken],
                Claims.Name or Claims.Email or Claims.EmailVerified or Claims.AuthenticationTime => [Destinations.IdentityToken],
                _ => [],
            });
        }
    }
}
