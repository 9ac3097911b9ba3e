using System.Security.Claims;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;
using Scopes = CrmTenancy.Application.Abstractions.Scopes;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The token and userinfo endpoints' product half. OpenIddict reads and validates the request (client authentication,
/// the code with its PKCE verifier and redirect URI, the refresh token and its family) and writes the response;
/// this decides what the tokens say: the account's current role and security stamp, the scopes it may hold, the
/// tenant. Revocation, introspection, discovery and the JWKS are OpenIddict's alone (docs/decisions/0019).
/// </summary>
public sealed class Connect : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("").WithTags("OAuth").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription().WithMetadata(ResolvesOwnTenant.Instance);
        connect.MapPost("/connect/token", Token);
        connect.MapMethods("/connect/userinfo", ["GET", "POST"], UserInfo);
    }

    public static async Task<IResult> Token(HttpContext context, Accounts accounts, AuthLookups lookups, CrmDbContext db, TokenFamily family, TimeProvider clock)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenIddict request is missing.");
        var client = await lookups.ActiveClientAsync(request.ClientId!, context.RequestAborted);
        if (client is null)
            return Forbid(OAuthErrors.InvalidClient, "Client authentication failed.");

        if (request.IsClientCredentialsGrantType())
        {
            // The scopes asked for (all the client may hold when none), never beyond them, never the platform's for a tenant's client.
            var requested = request.GetScopes();
            var granted = requested.IsEmpty ? client.AllowedScopes.ToList() : requested.ToList();
            if (granted.Except(client.AllowedScopes, StringComparer.Ordinal).Any() || (client.TenantId is not null && granted.Contains(Scopes.Platform)))
                return Forbid(OAuthErrors.InvalidScope, "The requested scope exceeds what the client may ask for.");
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, client.ClientId);
            if (client.TenantId is { } tenant)
                identity.SetClaim(ServerHandlers.TenantClaim, tenant.ToString());
            identity.SetScopes(granted);
            identity.SetResources(AuthorizationServerSetup.Audience);
            SetDestinations(identity);
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        // authorization_code or refresh_token: OpenIddict validated the code or token; the account must still be active.
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal ?? throw new InvalidOperationException("The validated principal is missing.");
        var account = Guid.TryParse(principal.GetClaim(Claims.Subject), out var accountId)
            ? await accounts.FindAsync(accountId, ServerHandlers.TenantOf(principal), context.RequestAborted)
            : null;
        if (account is not { Active: true })
        {
            if (Guid.TryParse(principal.GetAuthorizationId(), out var authorizationId))
                await TokenFamilies.RevokeAsync(db, authorizationId, context.RequestAborted);
            return Forbid(OAuthErrors.InvalidGrant, "The account is not active.");
        }
        var scopes = principal.GetScopes().AsEnumerable();
        if (request.IsRefreshTokenGrantType() && !request.GetScopes().IsEmpty)
            scopes = scopes.Intersect(request.GetScopes(), StringComparer.Ordinal);
        var refreshed = AccountIdentity(account, Accounts.Grant(scopes, client.AllowedScopes, account.Role));
        // The family (authorization) and the original sign-in's time carry over to the new tokens.
        refreshed.SetAuthorizationId(principal.GetAuthorizationId());
        if (long.TryParse(principal.GetClaim(Claims.AuthenticationTime), out var authTime))
            refreshed.SetClaim(Claims.AuthenticationTime, authTime);
        // A rotated refresh token never outlives its family.
        if (family.EndsAt is { } end && end - clock.GetUtcNow() < TimeSpan.FromDays(14))
            refreshed.SetRefreshTokenLifetime(end > clock.GetUtcNow() ? end - clock.GetUtcNow() : TimeSpan.Zero);
        SetDestinations(refreshed);
        return Results.SignIn(new ClaimsPrincipal(refreshed), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>OpenID Connect userinfo: the claims of the identity scopes the access token holds, while its account is active.</summary>
    public static async Task<IResult> UserInfo(HttpContext context, Accounts accounts)
    {
        context.Response.Headers.CacheControl = "no-store";
        // OpenIddict has verified the access token; it describes a person who granted openid, or userinfo has nothing to say.
        var principal = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("The validated principal is missing.");
        if (!principal.HasScope(Scopes.OpenId) || principal.GetClaim(ClaimNames.Role) is null || !Guid.TryParse(principal.GetClaim(Claims.Subject), out var accountId))
            return Forbid(OAuthErrors.InsufficientScope, "Userinfo needs a person's access token with the openid scope.");
        if (await accounts.FindAsync(accountId, ServerHandlers.TenantOf(principal), context.RequestAborted) is not { Active: true } account
            || SecurityStamps.Digest(account.SecurityStamp) != principal.GetClaim(Session.Stamp))
            return Results.Challenge(Properties(OAuthErrors.InvalidToken, "The token's account is not active or its rights changed."),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        var claims = IdentityClaims(account, principal.GetScopes());
        claims["sub"] = account.Id.ToString();
        return Results.Json(claims);
    }

    /// <summary>
    /// Before OpenIddict reads a protocol request's form: an empty POST to userinfo (the token in the Authorization
    /// header, RFC 6750 section 2.1) is an empty form, since OpenIddict reads a POST only as a form; and a form that
    /// cannot be read (too many fields, malformed) is an OAuth <c>invalid_request</c>, not a server error. The form read
    /// here is the one OpenIddict uses (ASP.NET Core keeps it on the request).
    /// </summary>
    public static async Task ReadProtocolForm(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/connect"))
        {
            await next(context);
            return;
        }
        if (request.Path == "/connect/userinfo" && request.ContentType is null && request.ContentLength is null or 0)
            request.ContentType = "application/x-www-form-urlencoded";
        if (request.HasFormContentType)
        {
            try
            {
                await request.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException malformed)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.Headers.CacheControl = "no-store";
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
                {
                    ["error"] = OAuthErrors.InvalidRequest,
                    ["error_description"] = $"The form could not be read: {malformed.Message}",
                }, context.RequestAborted);
                return;
            }
        }
        await next(context);
    }

    /// <summary>The identity of a signed-in account with the scopes it was granted: what every token of it says.</summary>
    public static ClaimsIdentity AccountIdentity(AccountInfo account, IReadOnlyCollection<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Id.ToString());
        if (account.TenantId is { } tenant)
            identity.SetClaim(ServerHandlers.TenantClaim, tenant.ToString());
        identity.SetClaim(ClaimNames.Role, account.Role);
        identity.SetClaim(Session.Stamp, SecurityStamps.Digest(account.SecurityStamp));
        foreach (var (name, value) in IdentityClaims(account, scopes))
            identity.SetClaim(name, value is bool flag ? (flag ? "true" : "false") : value.ToString());
        identity.SetScopes(scopes);
        if (scopes.Any(Scopes.All.Contains))
            identity.SetResources(AuthorizationServerSetup.Audience);
        return identity;
    }

    /// <summary>The claims an account shares with a client for the granted identity scopes (ID token and userinfo).</summary>
    public static Dictionary<string, object> IdentityClaims(AccountInfo account, IReadOnlyCollection<string> scopes)
    {
        var claims = new Dictionary<string, object>();
        if (account.TenantId is { } tenantId)
            claims[ServerHandlers.TenantClaim] = tenantId.ToString();
        if (scopes.Contains(Scopes.Profile))
            claims[Claims.Name] = account.DisplayName;
        if (scopes.Contains(Scopes.Email))
        {
            claims[Claims.Email] = account.Email;
            claims[Claims.EmailVerified] = account.EmailConfirmed;
        }
        return claims;
    }

    /// <summary>
    /// Where each claim goes: the access token carries who (sub, tenant_id, role, the stamp digest) for the API; the ID
    /// token carries who and the profile claims the scopes grant; nothing else leaves the server.
    /// </summary>
    public static void SetDestinations(ClaimsIdentity identity)
    {
        foreach (var claim in identity.Claims)
        {
            claim.SetDestinations(claim.Type switch
            {
                Claims.Subject or ServerHandlers.TenantClaim => [Destinations.AccessToken, Destinations.IdentityToken],
                ClaimNames.Role or Session.Stamp => [Destinations.AccessToken],
                Claims.Name or Claims.Email or Claims.EmailVerified or Claims.AuthenticationTime => [Destinations.IdentityToken],
                _ => [],
            });
        }
    }

    public static IResult Forbid(string error, string description) =>
        Results.Forbid(Properties(error, description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static AuthenticationProperties Properties(string error, string description) =>
        new(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });
}
