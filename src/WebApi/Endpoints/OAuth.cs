using System.Net;
using System.Text;
using CrmTenancy.Infrastructure.Identity;
using CrmTenancy.WebApi.Http;

namespace CrmTenancy.WebApi.Endpoints;

/// <summary>The token endpoint (client_credentials, RFC 6749 section 4.4) and the JWKS that publishes the verification keys.</summary>
public sealed class OAuth : IEndpointGroup
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", Token).WithTags("OAuth").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/.well-known/jwks.json", Jwks).WithTags("OAuth").AllowAnonymous();
    }

    public static async Task<IResult> Token(HttpContext context, ClientCredentialsGrant grant)
    {
        NoStore(context.Response);
        if (!context.Request.HasFormContentType)
            return Error("invalid_request", "The request must be application/x-www-form-urlencoded.");
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return Error("invalid_request", "The form body is malformed or too large.");
        }
        if (form.Any(f => f.Value.Count > 1))
            return Error("invalid_request", "A parameter was sent more than once.");

        var (clientId, clientSecret, usedBasic, credentialsError) = ClientCredentials(context.Request, form);
        if (credentialsError is not null)
            return Error("invalid_request", credentialsError);

        string? grantType = form["grant_type"];
        if (string.IsNullOrEmpty(grantType))
            return Error("invalid_request", "grant_type is required.");
        if (grantType != "client_credentials")
            return Error("unsupported_grant_type", "This server supports the client_credentials grant here.");
        if (clientId is null || clientSecret is null)
            return InvalidClient(context, usedBasic, "Client authentication is required.");
        if (clientId.Length > OAuthClient.ClientIdMaxLength || !TextInput.IsAcceptable(clientId) || !TextInput.IsAcceptable(clientSecret))
            return InvalidClient(context, usedBasic, "Client authentication failed.");

        var result = await grant.GrantAsync(clientId, clientSecret, form["scope"], context.RequestAborted);
        if (result.Error == "invalid_client")
            return InvalidClient(context, usedBasic, result.ErrorDescription!);
        if (result.Error is not null)
            return Error(result.Error, result.ErrorDescription!);

        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = result.Token!.Token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)result.Token.Lifetime.TotalSeconds,
            ["scope"] = string.Join(' ', result.Scopes),
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

    /// <summary>client_secret_basic or client_secret_post, never both (RFC 6749 section 2.3.1).</summary>
    private static (string? Id, string? Secret, bool UsedBasic, string? Error) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        string? header = request.Headers.Authorization;
        var posted = form.ContainsKey("client_id") || form.ContainsKey("client_secret");
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (posted)
                return (null, null, true, "Use one client authentication method, not both.");
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var separator = decoded.IndexOf(':');
                if (separator <= 0)
                    return (null, null, true, "The Basic credentials are malformed.");
                // RFC 6749 section 2.3.1: both parts are form-urlencoded before they are joined ("+" is a space).
                return (WebUtility.UrlDecode(decoded[..separator]), WebUtility.UrlDecode(decoded[(separator + 1)..]), true, null);
            }
            catch (FormatException)
            {
                return (null, null, true, "The Basic credentials are malformed.");
            }
        }
        return (form["client_id"], form["client_secret"], false, null);
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
