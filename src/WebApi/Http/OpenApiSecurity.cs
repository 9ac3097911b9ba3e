using CrmTenancy.Application.Abstractions;
using CrmTenancy.WebApi.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// The OpenAPI document says how each operation is authorised, read from its endpoint's metadata: the OAuth2 scheme
/// (authorization code with PKCE, client credentials) and, per operation, the scopes its policy requires; anonymous
/// operations carry no requirement. Clients and the isolation scanner read it; no list is kept by hand.
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "oauth2";

    public static OpenApiOptions AddOAuth2Security(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            var scopes = Scopes.Supported.ToDictionary(s => s, s => s);
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "Access tokens from this server's /connect/token (see the discovery document).",
                Flows = new OpenApiOAuthFlows
                {
                    AuthorizationCode = new OpenApiOAuthFlow
                    {
                        AuthorizationUrl = new Uri("/connect/authorize", UriKind.Relative),
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = scopes,
                    },
                    ClientCredentials = new OpenApiOAuthFlow { TokenUrl = new Uri("/connect/token", UriKind.Relative), Scopes = scopes },
                },
            };
            // The authorization server's public documents (OpenIddict serves them, so no endpoint describes them itself).
            document.Paths ??= new OpenApiPaths();
            document.Paths["/.well-known/openid-configuration"] = PublicDocument("OpenID Connect discovery (RFC 8414): the issuer, endpoints, scopes and algorithms.");
            document.Paths["/.well-known/jwks.json"] = PublicDocument("The keys access and ID tokens are signed with (RFC 7517): the current one and retired ones until their tokens expire.");
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var authorize = metadata.OfType<IAuthorizeData>().ToList();
            if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
                return Task.CompletedTask;
            var scopes = authorize.Select(a => a.Policy).OfType<string>().Select(ScopeOf).Distinct().ToList();
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = scopes });
            return Task.CompletedTask;
        });
        return options;
    }

    private static OpenApiPathItem PublicDocument(string summary) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = summary,
                Tags = new HashSet<OpenApiTagReference> { new("Authorization server") },
                Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "The JSON document." } },
            },
        },
    };

    /// <summary>The scope a policy requires (the tenant administrator's policy is crm.admin on a TenantAdmin's token).</summary>
    private static string ScopeOf(string policy) => policy == Policies.TenantAdmin ? Scopes.Admin : policy;
}
