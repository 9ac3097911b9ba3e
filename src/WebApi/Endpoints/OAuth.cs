using System.Net;
using System.Text;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.Infrastructure.Persistence;
using CrmTenancy.WebApi.Auth;
using Microsoft.Extensions.Options;
using CrmTenancy.WebApi.Http;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>
/// The authorization server's protocol endpoints: token (authorization_code with PKCE, refresh_token with rotation,
/// client_credentials), revocation, introspection, userinfo, discovery and the JWKS (docs/decisions/0015).
/// </summary>
public sealed class OAuth : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var oauth = app.MapGroup("").WithTags("OAuth").AllowAnonymous().DisableAntiforgery().WithMetadata(ResolvesOwnTenant.Instance);
        oauth.MapPost("/connect/token", Token).ExcludeFromDescription();
        oauth.MapPost("/connect/revocation", Revoke).ExcludeFromDescription();
        oauth.MapPost("/connect/introspect", Introspect).ExcludeFromDescription();
        oauth.MapGet("/.well-known/jwks.json", Jwks);
        oauth.MapGet("/.well-known/openid-configuration", Discovery);
        app.MapMethods("/connect/userinfo", ["GET", "POST"], UserInfo).WithTags("OAuth").RequireAuthorization(Policies.OpenId).DisableAntiforgery();
    }

    public static async Task<IResult> Token(HttpContext context, AuthorizationServer server)
    {
        NoStore(context.Response);
        var (form, formError) = await ReadFormAsync(context);
        if (formError is not null)
            return formError;

        var (clientId, clientSecret, usedBasic, credentialsError) = ClientCredentials(context.Request, form!);
        if (credentialsError is not null)
            return Error("invalid_request", credentialsError);

        string? grantType = form!["grant_type"];
        if (string.IsNullOrEmpty(grantType))
            return Error("invalid_request", "grant_type is required.");
        if (grantType is not ("client_credentials" or "authorization_code" or "refresh_token"))
            return Error("unsupported_grant_type", "Supported grants: authorization_code, refresh_token, client_credentials.");
        if (clientId is null)
            return InvalidClient(context, usedBasic, "Client authentication is required.");
        if (!IsCredential(clientId, OAuthClient.ClientIdMaxLength) || (clientSecret is not null && !IsCredential(clientSecret, 200)))
            return InvalidClient(context, usedBasic, "Client authentication failed.");

        if (grantType == "client_credentials" && clientSecret is null)
            return InvalidClient(context, usedBasic, "Client authentication is required.");

        var client = await server.AuthenticateClientAsync(clientId, clientSecret, context.RequestAborted);
        if (client is null)
            return InvalidClient(context, usedBasic, "Client authentication failed.");
        var outcome = grantType switch
        {
            "client_credentials" => await server.ClientCredentialsAsync(client, form["scope"], context.RequestAborted),
            "authorization_code" when !client.AllowsAuthorizationCode =>
                TokenOutcome.Fail("unauthorized_client", "This client may not use the authorization code grant."),
            "authorization_code" => await server.RedeemCodeAsync(client, form["code"], form["redirect_uri"], form["code_verifier"], context.RequestAborted),
            _ => await server.RefreshAsync(client, form["refresh_token"], form["scope"], context.RequestAborted),
        };
        return outcome.Response is { } response ? Results.Json(response) : Error(outcome.Error!, outcome.Description!);
    }

    /// <summary>RFC 7009. Refresh tokens are revoked with their family; JWT access tokens expire on their own (15 minutes).</summary>
    public static async Task<IResult> Revoke(HttpContext context, AuthorizationServer server)
    {
        NoStore(context.Response);
        var (form, formError) = await ReadFormAsync(context);
        if (formError is not null)
            return formError;
        var (client, failure) = await AuthenticateAsync(context, server, form!, confidentialOnly: false);
        if (failure is not null)
            return failure;
        string? token = form!["token"];
        if (string.IsNullOrEmpty(token))
            return Error("invalid_request", "token is required.");
        if (token.Count(c => c == '.') == 2 && form["token_type_hint"] != "refresh_token")
            return Error("unsupported_token_type", "Access tokens are short-lived JWTs and cannot be revoked one by one; revoke the refresh token.");
        await server.RevokeRefreshTokenAsync(client!, token, context.RequestAborted);
        return Results.Ok();
    }

    /// <summary>
    /// RFC 7662, for confidential clients. A token is reported active only to a client of the token's own tenant
    /// (or a platform client for tenantless tokens); for anyone else it is simply inactive.
    /// </summary>
    public static async Task<IResult> Introspect(
        HttpContext context, AuthorizationServer server, AccessTokenValidator validator, AuthLookups lookups, TimeProvider clock)
    {
        NoStore(context.Response);
        var (form, formError) = await ReadFormAsync(context);
        if (formError is not null)
            return formError;
        var (client, failure) = await AuthenticateAsync(context, server, form!, confidentialOnly: true);
        if (failure is not null)
            return failure;
        string? token = form!["token"];
        if (string.IsNullOrEmpty(token))
            return Error("invalid_request", "token is required.");
        var inactive = Results.Json(new { active = false });

        if (token.Count(c => c == '.') == 2)
        {
            var (claims, _) = await validator.ValidateAsync(token, context.RequestAborted);
            if (claims is null || claims.TenantId != client!.TenantId)
                return inactive;
            if (await lookups.CheckAsync(claims, context.RequestAborted) is null)
                return inactive;
            var response = new Dictionary<string, object>
            {
                ["active"] = true,
                ["token_type"] = "Bearer",
                ["scope"] = string.Join(' ', claims.Scopes),
                ["client_id"] = claims.ClientId,
                ["sub"] = claims.Subject,
                ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
                ["exp"] = claims.ExpiresAt.ToUnixTimeSeconds(),
                ["jti"] = claims.TokenId,
            };
            if (claims.TenantId is { } tenantId)
                response["tenant_id"] = tenantId.ToString();
            return Results.Json(response);
        }

        var refresh = await server.FindRefreshTokenAsync(token, context.RequestAborted);
        if (refresh is null || refresh.TenantId != client!.TenantId || refresh.ConsumedAt is not null || refresh.RevokedAt is not null
            || refresh.ExpiresAt <= clock.GetUtcNow())
            return inactive;
        var refreshResponse = new Dictionary<string, object>
        {
            ["active"] = true,
            ["token_type"] = "refresh_token",
            ["scope"] = string.Join(' ', refresh.Scopes),
            ["client_id"] = refresh.ClientId,
            ["sub"] = refresh.SubjectId.ToString(),
            ["iat"] = refresh.CreatedAt.ToUnixTimeSeconds(),
            ["exp"] = refresh.ExpiresAt.ToUnixTimeSeconds(),
        };
        if (refresh.TenantId is { } refreshTenant)
            refreshResponse["tenant_id"] = refreshTenant.ToString();
        return Results.Json(refreshResponse);
    }

    /// <summary>OpenID Connect userinfo: the claims of the identity scopes the access token holds.</summary>
    public static async Task<IResult> UserInfo(HttpContext context, AuthorizationServer server)
    {
        NoStore(context.Response);
        var user = context.User;
        Guid? tenantId = Guid.TryParse(user.FindFirst(ClaimNames.TenantId)?.Value, out var id) ? id : null;
        if (!Guid.TryParse(user.FindFirst(ClaimNames.Subject)?.Value, out var accountId)
            || await server.FindAccountAsync(accountId, tenantId, context.RequestAborted) is not { Active: true } account)
            return Results.Unauthorized();
        var scopes = user.FindAll(ClaimNames.Scope).Select(c => c.Value).ToList();
        var claims = AuthorizationServer.IdentityClaims(account, scopes);
        claims["sub"] = account.Id.ToString();
        return Results.Json(claims);
    }

    /// <summary>OpenID Connect Discovery 1.0 and RFC 8414: everything a standard client library needs, and no more than is supported.</summary>
    public static IResult Discovery(IOptions<TokenOptions> options)
    {
        var issuer = options.Value.Issuer.TrimEnd('/');
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = options.Value.Issuer,
            ["authorization_endpoint"] = $"{issuer}/connect/authorize",
            ["token_endpoint"] = $"{issuer}/connect/token",
            ["userinfo_endpoint"] = $"{issuer}/connect/userinfo",
            ["jwks_uri"] = $"{issuer}/.well-known/jwks.json",
            ["revocation_endpoint"] = $"{issuer}/connect/revocation",
            ["introspection_endpoint"] = $"{issuer}/connect/introspect",
            ["scopes_supported"] = Scopes.Supported,
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query" },
            ["grant_types_supported"] = new[] { "authorization_code", "refresh_token", "client_credentials" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { SigningKeyStore.Algorithm },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" },
            ["revocation_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" },
            ["introspection_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "email", "email_verified", "tenant_id" },
            ["prompt_values_supported"] = new[] { "none", "login" },
            ["authorization_response_iss_parameter_supported"] = true,
            ["request_parameter_supported"] = false,
            ["request_uri_parameter_supported"] = false,
            ["claims_parameter_supported"] = false,
        });
    }

    public static async Task<IResult> Jwks(SigningKeyStore keys, CancellationToken cancellationToken)
    {
        var published = await keys.KeysAsync(cancellationToken);
        return Results.Json(new
        {
            keys = published.Select(k =>
            {
                var parameters = k.Key.ExportParameters(includePrivateParameters: false);
                return new Dictionary<string, string>
                {
                    ["kty"] = "EC",
                    ["use"] = "sig",
                    ["alg"] = SigningKeyStore.Algorithm,
                    ["kid"] = k.KeyId,
                    ["crv"] = "P-256",
                    ["x"] = System.Buffers.Text.Base64Url.EncodeToString(parameters.Q.X),
                    ["y"] = System.Buffers.Text.Base64Url.EncodeToString(parameters.Q.Y),
                };
            }),
        });
    }

    private static async Task<(IFormCollection? Form, IResult? Error)> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
            return (null, Error("invalid_request", "The request must be application/x-www-form-urlencoded."));
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return (null, Error("invalid_request", "The form body is malformed or too large."));
        }
        if (form.Any(f => f.Value.Count > 1))
            return (null, Error("invalid_request", "A parameter was sent more than once."));
        if (form.Any(f => !TextInput.IsAcceptable(f.Value.ToString())))
            return (null, Error("invalid_request", "A parameter contains control characters."));
        return (form, null);
    }

    private static async Task<(OAuthClient? Client, IResult? Failure)> AuthenticateAsync(
        HttpContext context, AuthorizationServer server, IFormCollection form, bool confidentialOnly)
    {
        var (clientId, clientSecret, usedBasic, credentialsError) = ClientCredentials(context.Request, form);
        if (credentialsError is not null)
            return (null, Error("invalid_request", credentialsError));
        if (clientId is null || !IsCredential(clientId, OAuthClient.ClientIdMaxLength) || (clientSecret is not null && !IsCredential(clientSecret, 200))
            || (confidentialOnly && clientSecret is null))
            return (null, InvalidClient(context, usedBasic, "Client authentication failed."));
        var client = await server.AuthenticateClientAsync(clientId, clientSecret, context.RequestAborted);
        return client is null ? (null, InvalidClient(context, usedBasic, "Client authentication failed.")) : (client, null);
    }

    private static bool IsCredential(string value, int maxLength) => value.Length > 0 && value.Length <= maxLength && TextInput.IsAcceptable(value);

    /// <summary>client_secret_basic or client_secret_post, never both (RFC 6749 section 2.3.1).</summary>
    private static (string? Id, string? Secret, bool UsedBasic, string? Error) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        string? header = request.Headers.Authorization;
        var inForm = form.ContainsKey("client_id") || form.ContainsKey("client_secret");
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (inForm)
                return (null, null, true, "Use one client authentication method, not both.");
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var separator = decoded.IndexOf(':');
                if (separator <= 0)
                    return (null, null, true, "The Basic credentials are malformed.");
                // RFC 6749 section 2.3.1: both parts are form-urlencoded before they are joined ("+" is a space).
                var secret = WebUtility.UrlDecode(decoded[(separator + 1)..]);
                return (WebUtility.UrlDecode(decoded[..separator]), secret.Length == 0 ? null : secret, true, null);
            }
            catch (FormatException)
            {
                return (null, null, true, "The Basic credentials are malformed.");
            }
        }
        string? posted = form["client_secret"];
        return (form["client_id"], string.IsNullOrEmpty(posted) ? null : posted, false, null);
    }

    /// <summary>401 with a Basic challenge (RFC 6749 section 5.2; RFC 9110 requires the challenge on every 401).</summary>
    private static IResult InvalidClient(HttpContext context, bool usedBasic, string description)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"crmtenancy\"";
        return Results.Json(new { error = "invalid_client", error_description = description }, statusCode: StatusCodes.Status401Unauthorized);
    }

    private static IResult Error(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
