using System.Security.Claims;
using System.Text.Encodings.Web;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.WebApi.Endpoints;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.WebApi.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CrmTenancy.WebApi.Auth;

/// <summary>
/// Bearer authentication: OpenIddict's validation verifies the RFC 9068 access token (ES256 with the key store's
/// published keys, typ at+jwt, issuer, audience crm-api, lifetime), once per token (<see cref="VerifiedTokens"/>); then the product's per-request check, one
/// prepared statement sent with the request's first batch (<see cref="RequestConnection"/>), confirms the token was not revoked and what it names is still good. A missing token leaves the
/// request anonymous; a present but invalid one fails, and the challenge answers 401 with a WWW-Authenticate header
/// per RFC 6750.
/// </summary>
public sealed class AccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AuthLookups lookups, VerifiedTokens verified)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string ErrorItem = "bearer-error";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Fail("The Authorization header is not a Bearer token.");

        var token = header[7..].Trim();
        if (await verified.FindAsync(token, Context.RequestAborted) is not { } claims)
        {
            await EnsureValidationRequestAsync();
            var validated = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
            if (!validated.Succeeded || ReadClaims(validated.Principal) is not { } read)
                return Fail(validated.Properties?.GetString(OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription)
                    ?? "The access token is invalid.");
            claims = read;
            verified.Add(token, claims, validated.Principal!.GetExpirationDate());
        }

        // A valid signature is not enough: the token must not be revoked, the account or client must still be active,
        // and a user's rights must be those the token was issued with (its security stamp digest). One indexed read per
        // request: for a request without a body, in the batch that opens the request's connection (given back before
        // the answer is written). A request with a body would hold that connection while its body arrives, and the
        // authorization server's own endpoints resolve their tenant themselves: for those it runs on the platform role.
        TokenSubjectState? state;
        if (Context.GetEndpoint()?.Metadata.GetMetadata<ResolvesOwnTenant>() is null
            && Context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            var connection = Context.RequestServices.GetRequiredService<RequestConnection>();
            state = await connection.CheckTokenAsync(claims, Context.RequestAborted);
            if (state is not null)
                Response.OnStarting(connection.ReleaseAsync);
        }
        else
        {
            state = await lookups.CheckAsync(claims, Context.RequestAborted);
        }
        if (state is null)
            return Fail(claims.IsUser
                ? "The token was revoked, its account was deactivated or its rights changed, or its client was revoked; sign in again."
                : "The token or its client was revoked.");
        var ownerOnly = claims.IsUser && claims.Role == nameof(Domain.Users.UserRole.Member)
            && state.Visibility == Domain.Tenants.RecordVisibility.OwnerOnly;

        var identity = new ClaimsIdentity(SchemeName, ClaimNames.Subject, ClaimNames.Role);
        identity.AddClaim(new Claim(ClaimNames.Subject, claims.Subject));
        identity.AddClaim(new Claim(ClaimNames.ClientId, claims.ClientId));
        identity.AddClaim(new Claim(ClaimNames.TokenId, claims.TokenId.ToString()));
        if (claims.TenantId is { } tenant)
            identity.AddClaim(new Claim(ClaimNames.TenantId, tenant.ToString()));
        foreach (var scope in claims.Scopes)
            identity.AddClaim(new Claim(ClaimNames.Scope, scope));
        if (claims.IsUser && claims.Role is { } role)
            identity.AddClaim(new Claim(ClaimNames.Role, role));
        if (ownerOnly)
            identity.AddClaim(new Claim(ClaimNames.OwnerOnly, "true"));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The claims the product relies on, from a principal OpenIddict verified; null when one is missing or malformed.</summary>
    private static AccessTokenClaims? ReadClaims(ClaimsPrincipal principal)
    {
        var subject = principal.GetClaim(OpenIddictConstants.Claims.Subject);
        var clientId = principal.GetClaim(OpenIddictConstants.Claims.ClientId);
        if (subject is null || clientId is null || AccessTokenEntries.IdOf(principal) is not { } tokenId)
            return null;
        Guid? authorizationId = null;
        if (principal.GetAuthorizationId() is { } authorizationText)
        {
            if (!Guid.TryParse(authorizationText, out var parsed))
                return null;
            authorizationId = parsed;
        }
        Guid? tenantId = null;
        if (principal.GetClaim(ClaimNames.TenantId) is { } tenantText)
        {
            if (!Guid.TryParse(tenantText, out var parsed))
                return null;
            tenantId = parsed;
        }
        return new AccessTokenClaims(subject, clientId, tenantId, principal.GetScopes().ToList(), tokenId, authorizationId,
            principal.GetClaim(ClaimNames.Role), principal.GetClaim(Session.Stamp));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var error = Context.Items[ErrorItem] as string;
        Response.Headers.WWWAuthenticate = error is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{error}\"";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", error is null ? "token-required" : "invalid-token",
            error ?? "An access token is required (Authorization: Bearer ...).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        return Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden", "insufficient-scope",
            "The access token lacks the scope this operation needs.");
    }

    /// <summary>
    /// OpenIddict's validation keeps its state in a request feature that its request handling creates; the API's paths
    /// skip that handling (<see cref="ApiAuthentication"/>), so a token not yet verified starts it here.
    /// </summary>
    private async Task EnsureValidationRequestAsync()
    {
        if (Context.Features.Get<OpenIddictValidationAspNetCoreFeature>()?.Transaction is not null)
            return;
        var handlers = Context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        if (await handlers.GetHandlerAsync(Context, OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme) is IAuthenticationRequestHandler validation)
            await validation.HandleRequestAsync();
    }

    private AuthenticateResult Fail(string error)
    {
        Context.Items[ErrorItem] = error;
        return AuthenticateResult.Fail(error);
    }
}

/// <summary>Claim names of the product's access tokens (JWT names, kept as they are).</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string ClientId = "client_id";
    public const string TenantId = "tenant_id";
    public const string Scope = "scope";
    public const string TokenId = "jti";
    public const string Role = "role";
    /// <summary>Set by the API (never read from a token) for a member of a tenant with owner-only record visibility.</summary>
    public const string OwnerOnly = "crm:owner_only";
}
