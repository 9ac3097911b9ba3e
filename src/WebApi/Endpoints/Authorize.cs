using System.Security.Claims;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;
using Scopes = CrmTenancy.Application.Abstractions.Scopes;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The authorization endpoint's product half (RFC 6749 section 4.1, RFC 7636, OpenID Connect Core 3.1.2). OpenIddict
/// has validated the request (client, exact redirect URI, response type, PKCE S256, scopes) before it gets here; this
/// decides who signs in: the sign-in session, prompt=none|login, a tenant's client for its own people only, and the
/// scopes the account's role may hold. Errors go back to the client with the state and the issuer (RFC 9207).
/// </summary>
public sealed class Authorize : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMethods("/connect/authorize", ["GET", "POST"], Handle).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery()
            .WithMetadata(ResolvesOwnTenant.Instance);

    public static async Task<IResult> Handle(HttpContext context, Accounts accounts, AuthLookups lookups)
    {
        context.Response.Headers.CacheControl = "no-store";
        // An error that could not be sent back to the client: no redirect, a page naming the problem.
        if (context.GetOpenIddictServerResponse() is { Error: { Length: > 0 } } failure)
            return Html.Page("Sign-in request refused", $"<h1>This sign-in request cannot be used</h1>{Html.Error(failure.ErrorDescription)}", StatusCodes.Status400BadRequest);
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenIddict request is missing.");
        var client = await lookups.ActiveClientAsync(request.ClientId!, context.RequestAborted);
        if (client is null)
            return Connect.Forbid(OAuthErrors.InvalidClient, "The client is unknown or was revoked.");
        var requested = request.GetScopes();
        if (requested.IsEmpty)
            return Connect.Forbid(OAuthErrors.InvalidScope, "scope is required.");
        if (request.Nonce is { Length: > 512 })
            return Connect.Forbid(OAuthErrors.InvalidRequest, "nonce is too long.");

        var account = await SignedInAccountAsync(context, accounts);
        if (account is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
                return Connect.Forbid(OAuthErrors.LoginRequired, "The user is not signed in.");
            if (account is not null)
                await context.SignOutAsync(Session.Scheme);
            var query = context.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)context.Request.Form : context.Request.Query;
            var back = "/connect/authorize" + QueryString.Create(query.Where(p => p.Key != Parameters.Prompt)
                .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
            return Results.Redirect(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/account/login", "returnUrl", back));
        }
        // A tenant's client serves that tenant's people only: anyone else is refused, the client learns nothing more.
        if (client.TenantId is { } clientTenant && clientTenant != account.Value.Account.TenantId)
            return Connect.Forbid(OAuthErrors.AccessDenied, "This client belongs to another organisation.");

        var scopes = Accounts.Grant(requested, client.AllowedScopes, account.Value.Account.Role);
        var identity = Connect.AccountIdentity(account.Value.Account, scopes);
        identity.SetClaim(Claims.AuthenticationTime, account.Value.AuthTime.ToUnixTimeSeconds());
        Connect.SetDestinations(identity);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The session's account if it is still active and unchanged since sign-in; otherwise none (sign in again).</summary>
    private static async Task<(AccountInfo Account, DateTimeOffset AuthTime)?> SignedInAccountAsync(HttpContext context, Accounts accounts)
    {
        var session = await context.AuthenticateAsync(Session.Scheme);
        if (!session.Succeeded || !Guid.TryParse(session.Principal.FindFirst(ClaimNames.Subject)?.Value, out var accountId)
            || !long.TryParse(session.Principal.FindFirst(Session.AuthTime)?.Value, out var authTime))
            return null;
        Guid? tenantId = Guid.TryParse(session.Principal.FindFirst(ClaimNames.TenantId)?.Value, out var id) ? id : null;
        var account = await accounts.FindAsync(accountId, tenantId, context.RequestAborted);
        if (account is not { Active: true } || SecurityStamps.Digest(account.SecurityStamp) != session.Principal.FindFirst(Session.Stamp)?.Value)
            return null;
        return (account, DateTimeOffset.FromUnixTimeSeconds(authTime));
    }
}
