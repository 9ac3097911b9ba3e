using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.WebApi.Auth;
using CrmTenancy.WebApi.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The authorization endpoint (RFC 6749 section 4.1, RFC 7636, OpenID Connect Core 3.1.2): the authorization code
/// flow with PKCE S256 for every client. Until the client and its exact redirect URI are known, errors are shown
/// here and never redirected; after that they go back to the client (RFC 6749 section 4.1.2.1) with the state and
/// the issuer (RFC 9207).
/// </summary>
public sealed class Authorize : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/connect/authorize", Handle).AllowAnonymous().ExcludeFromDescription().WithMetadata(ResolvesOwnTenant.Instance);

    public static async Task<IResult> Handle(
        HttpContext context, AuthLookups lookups, AuthorizationServer server, IOptions<TokenOptions> options, TimeProvider clock)
    {
        context.Response.Headers.CacheControl = "no-store";
        var query = context.Request.Query;
        if (query.Any(p => p.Value.Count > 1))
            return ErrorPage("A parameter was sent more than once.");
        string? clientId = query["client_id"];
        string? redirectUri = query["redirect_uri"];
        if (string.IsNullOrEmpty(clientId) || clientId.Length > OAuthClient.ClientIdMaxLength)
            return ErrorPage("client_id is missing or invalid.");
        var client = await lookups.ActiveClientAsync(clientId, context.RequestAborted);
        if (client is null || !client.AllowsAuthorizationCode)
            return ErrorPage("The client is unknown or may not use the authorization code flow.");
        if (string.IsNullOrEmpty(redirectUri) || !client.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
            return ErrorPage("redirect_uri is missing or is not one the client registered (it must match exactly).");

        string? state = query["state"];
        var issuer = options.Value.Issuer;
        IResult Fail(string error, string description) => Results.Redirect(QueryHelpers.AddQueryString(redirectUri,
            Params(("error", error), ("error_description", description), ("state", state), ("iss", issuer))));

        if (query["response_type"] != "code")
            return Fail("unsupported_response_type", "Only response_type=code is supported.");
        if (query.ContainsKey("request") || query.ContainsKey("request_uri"))
            return Fail("request_not_supported", "Request objects are not supported.");
        if (query.TryGetValue("response_mode", out var mode) && mode != "query")
            return Fail("invalid_request", "Only response_mode=query is supported.");
        string? challenge = query["code_challenge"];
        string? method = query["code_challenge_method"];
        if (string.IsNullOrEmpty(challenge))
            return Fail("invalid_request", "PKCE is required: send code_challenge and code_challenge_method=S256.");
        if (method != "S256")
            return Fail("invalid_request", "code_challenge_method must be S256 (plain is not accepted).");
        if (!Pkce.IsValidChallenge(challenge))
            return Fail("invalid_request", "code_challenge must be 43 base64url characters (the S256 of the verifier).");
        var requested = AuthorizationServer.Split(query["scope"]);
        if (requested.Count == 0)
            return Fail("invalid_scope", "scope is required.");
        if (requested.Any(s => !Scopes.Supported.Contains(s) || !client.AllowedScopes.Contains(s)))
            return Fail("invalid_scope", "A requested scope is unknown or not allowed for this client.");
        string? nonce = query["nonce"];
        if (nonce is { Length: > 512 })
            return Fail("invalid_request", "nonce is too long.");

        var account = await SignedInAccountAsync(context, server);
        var prompt = AuthorizationServer.Split(query["prompt"]);
        if (account is null || prompt.Contains("login"))
        {
            if (prompt.Contains("none"))
                return Fail("login_required", "The user is not signed in.");
            if (account is not null)
                await context.SignOutAsync(Session.Scheme);
            var back = context.Request.Path + QueryString.Create(query.Where(p => p.Key != "prompt")
                .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
            return Results.Redirect(QueryHelpers.AddQueryString("/account/login", "returnUrl", back));
        }
        // A tenant's client serves that tenant's people only: anyone else is refused, the client learns nothing more.
        if (client.TenantId is { } clientTenant && clientTenant != account.Value.Account.TenantId)
            return Fail("access_denied", "This client belongs to another organisation.");

        var scopes = AuthorizationServer.Grant(requested, client, account.Value.Account.Role);
        var code = await server.CreateCodeAsync(account.Value.Account, client, redirectUri, challenge, scopes, nonce, account.Value.AuthTime, context.RequestAborted);
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, Params(("code", code), ("state", state), ("iss", issuer))));
    }

    /// <summary>The session's account if it is still active and unchanged since sign-in; otherwise none (sign in again).</summary>
    private static async Task<(AccountInfo Account, DateTimeOffset AuthTime)?> SignedInAccountAsync(HttpContext context, AuthorizationServer server)
    {
        var session = await context.AuthenticateAsync(Session.Scheme);
        if (!session.Succeeded || !Guid.TryParse(session.Principal.FindFirst(ClaimNames.Subject)?.Value, out var accountId)
            || !long.TryParse(session.Principal.FindFirst(Session.AuthTime)?.Value, out var authTime))
            return null;
        Guid? tenantId = Guid.TryParse(session.Principal.FindFirst(ClaimNames.TenantId)?.Value, out var id) ? id : null;
        var account = await server.FindAccountAsync(accountId, tenantId, context.RequestAborted);
        if (account is not { Active: true } || AccessTokenIssuer.StampDigest(account.SecurityStamp) != session.Principal.FindFirst(Session.Stamp)?.Value)
            return null;
        return (account, DateTimeOffset.FromUnixTimeSeconds(authTime));
    }

    private static IEnumerable<KeyValuePair<string, string?>> Params(params (string Key, string? Value)[] values) =>
        values.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string?>(v.Key, v.Value));

    private static IResult ErrorPage(string message) =>
        Html.Page("Sign-in request refused", $"""<h1>This sign-in request cannot be used</h1>{Html.Error(message)}""", StatusCodes.Status400BadRequest);
}
