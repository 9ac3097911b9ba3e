using CrmTenancy.Infrastructure.Identity.Server;
using CrmTenancy.WebApi.Auth;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

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

    public static async Task<IResult> Token(HttpContext context, ProtocolGrants grants)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenIddict request is missing.");
        if (request.IsClientCredentialsGrantType())
            return Answer(await grants.ClientCredentialsAsync(request, context.RequestAborted));
        // authorization_code or refresh_token: OpenIddict validated the code or token into this principal.
        var validated = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("The validated principal is missing.");
        return Answer(await grants.RedeemAsync(request, validated, context.RequestAborted));
    }

    /// <summary>OpenID Connect userinfo: the claims of the identity scopes the access token holds, while its account is active.</summary>
    public static async Task<IResult> UserInfo(HttpContext context, ProtocolGrants grants)
    {
        context.Response.Headers.CacheControl = "no-store";
        var validated = (await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
            ?? throw new InvalidOperationException("The validated principal is missing.");
        var (answer, refusal) = await grants.UserInfoAsync(validated, context.RequestAborted);
        return answer is not null ? Results.Json(answer) : Answer(refusal!);
    }

    /// <summary>An outcome as OpenIddict answers it: tokens, or the error (a challenge for an invalid token, else a refusal).</summary>
    public static IResult Answer(GrantOutcome outcome) => outcome switch
    {
        GrantOutcome.Issue issue => Results.SignIn(issue.Principal, null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme),
        GrantOutcome.Refuse { Error: OAuthErrors.InvalidToken } refuse =>
            Results.Challenge(Properties(refuse.Error, refuse.Description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]),
        GrantOutcome.Refuse refuse => Results.Forbid(Properties(refuse.Error, refuse.Description), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]),
        _ => throw new InvalidOperationException($"{outcome} is answered by its endpoint."),
    };

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

    private static AuthenticationProperties Properties(string error, string description) =>
        new(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });
}
