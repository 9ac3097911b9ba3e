using System.Security.Cryptography;
using CrmTenancy.Application.Abstractions;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = CrmTenancy.Application.Abstractions.Scopes;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// The authorization server on OpenIddict (docs/decisions/0019): its EF Core stores on the product's database, the
/// endpoints the product promises and no more, and the product's handlers for tenancy, token families and signing keys.
/// </summary>
public static class AuthorizationServerSetup
{
    public const string Audience = "crm-api";

    public static void AddAuthorizationServer(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(TokenOptions.Section).Get<TokenOptions>() ?? new TokenOptions();
        // Plain HTTP only where the issuer itself is plain HTTP: a development machine and the tests.
        var allowHttp = settings.Issuer.StartsWith("http://", StringComparison.Ordinal);
        services.AddScoped<OidcTenantScope>();
        services.AddScoped<TokenFamily>();
        services.AddScoped<ProtocolGrants>();
        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<CrmDbContext>().ReplaceDefaultEntities<CrmApplication, CrmAuthorization, CrmScope, CrmToken, Guid>();
                core.ReplaceApplicationManager<CrmApplication, CrmApplicationManager>();
                // Every read goes to the database under the request's tenant: no entity outlives its request's scope.
                core.DisableEntityCaching();
            })
            .AddServer(server =>
            {
                server.SetIssuer(new Uri(settings.Issuer));
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetRevocationEndpointUris("connect/revocation")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks.json");
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();
                server.RequireProofKeyForCodeExchange();
                server.RegisterScopes([.. Scopes.Supported]);
                server.RegisterClaims("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "email", "email_verified", ServerHandlers.TenantClaim);
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(settings.AccessTokenLifetime)
                    .SetAuthorizationCodeLifetime(TimeSpan.FromSeconds(60))
                    .SetRefreshTokenLifetime(TimeSpan.FromDays(14))
                    // A spent refresh token is never good again: presenting it revokes its family.
                    .SetRefreshTokenReuseLeeway(null);
                server.UseReferenceRefreshTokens();
                // RFC 9068 access tokens: signed (ES256, the key store's current key), readable by the API, audience crm-api.
                server.DisableAccessTokenEncryption();
                // Start-up placeholders: every token is signed with the key store's current key (ServerHandlers.SignWithStoreKey), and
                // codes and refresh tokens are protected by Data Protection, whose key ring lives outside the database.
                server.AddSigningKey(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)));
                server.AddEphemeralEncryptionKey();
                server.UseDataProtection().PreferDefaultAccessTokenFormat();
                var host = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    // An error that cannot go back to the client reaches the authorization endpoint, which shows a page.
                    .EnableErrorPassthrough()
                    .SuppressJsonResponseIndentation();
                if (allowHttp)
                    host.DisableTransportSecurityRequirement();
                foreach (var handler in ServerHandlers.All.Concat(AccessTokenEntries.All).Concat(IssuerHandlers.All).Concat(AuthorizationHandlers.All).Concat(TokenRequestHandlers.All).Concat(IntrospectionHandlers.All))
                    server.AddEventHandler(handler);
                foreach (var handler in IntrospectionHandlers.Removed)
                    server.RemoveEventHandler(handler);
                server.Configure(options =>
                {
                    // What the product promised before OpenIddict (ADR 0015): S256 only, the query response mode, no
                    // consent or account selection prompts, client secrets (basic or post) or none for public clients.
                    options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
                    options.ResponseModes.Remove(ResponseModes.FormPost);
                    options.ResponseModes.Remove(ResponseModes.Fragment);
                    options.PromptValues.Remove(PromptValues.Consent);
                    options.PromptValues.Remove(PromptValues.SelectAccount);
                    options.ClientAuthenticationMethods.Remove(ClientAuthenticationMethods.PrivateKeyJwt);
                });
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.AddAudiences(Audience);
                validation.UseAspNetCore();
                foreach (var handler in ValidationHandlers.All)
                    validation.AddEventHandler(handler);
                validation.Configure(options => ValidationHandlers.Configure(options.TokenValidationParameters, settings));
            });
    }
}
