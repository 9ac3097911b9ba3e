using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using static OpenIddict.Abstractions.OpenIddictConstants;

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

    public static async Task<IResult> Handle(HttpContext context, ProtocolGrants grants)
    {
        context.Response.Headers.CacheControl = "no-store";
        // An error that could not be sent back to the client: no redirect, a page naming the problem.
        if (context.GetOpenIddictServerResponse() is { Error: { Length: > 0 } } failure)
            return Html.Page("Sign-in request refused", $"<h1>This sign-in request cannot be used</h1>{Html.Error(failure.ErrorDescription)}", StatusCodes.Status400BadRequest);
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenIddict request is missing.");

        var session = await context.AuthenticateAsync(Session.Scheme);
        var outcome = await grants.AuthorizeAsync(request, SessionOf(session), context.RequestAborted);
        if (outcome is not GrantOutcome.SignInFirst)
            return Connect.Answer(outcome);
        // To the login page, which comes back here without prompt=login (so the fresh sign-in counts).
        if (session.Succeeded)
            await context.SignOutAsync(Session.Scheme);
        var query = context.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, StringValues>>)context.Request.Form : context.Request.Query;
        var back = "/connect/authorize" + QueryString.Create(query.Where(p => p.Key != Parameters.Prompt)
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
        return Results.Redirect(QueryHelpers.AddQueryString("/account/login", "returnUrl", back));
    }

    /// <summary>What the sign-in cookie says, if it is there and readable.</summary>
    private static SessionClaims? SessionOf(AuthenticateResult session)
    {
        if (!session.Succeeded || !Guid.TryParse(session.Principal.FindFirst(ClaimNames.Subject)?.Value, out var accountId)
            || !long.TryParse(session.Principal.FindFirst(Session.AuthTime)?.Value, out var authTime))
            return null;
        Guid? tenantId = Guid.TryParse(session.Principal.FindFirst(ClaimNames.TenantId)?.Value, out var id) ? id : null;
        return new SessionClaims(accountId, tenantId, DateTimeOffset.FromUnixTimeSeconds(authTime), session.Principal.FindFirst(Session.Stamp)?.Value);
    }
}
