using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>The product's handlers in OpenIddict's validation pipeline (API requests).</summary>
public static class ValidationHandlers
{
    public static readonly OpenIddictValidationHandlerDescriptor[] All = [VerifyWithStoreKeys.Descriptor, AccessTokenRules.Descriptor];

    /// <summary>The parameters IdentityModel checks an access token with: exactly the configured issuer (OpenIddict would
    /// also take it with a trailing slash), the API's audience, ES256 only, an exp, and the product's clock skew for exp and nbf.</summary>
    public static void Configure(TokenValidationParameters parameters, TokenOptions settings)
    {
        parameters.ValidIssuers = [settings.Issuer];
        parameters.ValidateAudience = true;
        parameters.ValidAudiences = [settings.Audience];
        parameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256];
        parameters.RequireExpirationTime = true;
        parameters.ValidateLifetime = true;
        parameters.ClockSkew = settings.ClockSkew;
    }

    /// <summary>Access tokens verify against every published key of the store (the current one and retired ones until their tokens expire).</summary>
    public sealed class VerifyWithStoreKeys(SigningKeyStore keys) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<VerifyWithStoreKeys>()
            .SetOrder(Protection.ResolveTokenValidationParameters.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            context.TokenValidationParameters.IssuerSigningKeys = await keys.VerificationKeysAsync(context.CancellationToken);
        }
    }

    /// <summary>
    /// The product's rules for an access token, each refused with its own reason (the API's challenge names it): the
    /// header first (a compact JWS, ES256, typ at+jwt, no critical extensions, a published kid), then IdentityModel's
    /// verification with <see cref="Configure"/>'s parameters, then an issue time that is not in the future. The
    /// verified principal is attached the way OpenIddict's own handler would, which then has nothing left to do.
    /// </summary>
    public sealed class AccessTokenRules(IOptions<TokenOptions> options, TimeProvider clock) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<AccessTokenRules>()
            .SetOrder(Protection.ValidateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.Principal is not null || string.IsNullOrEmpty(context.Token))
                return;
            var (jwt, problem) = ReadHeader(context.Token, context.TokenValidationParameters);
            if (jwt is null)
            {
                context.Reject(Errors.InvalidToken, problem);
                return;
            }

            // The token read once for its header is the one verified: no second parse.
            var result = await context.SecurityTokenHandler.ValidateTokenAsync(jwt, context.TokenValidationParameters);
            if (!result.IsValid)
            {
                context.Reject(Errors.InvalidToken, Reason(result.Exception));
                return;
            }
            var issuedAt = ((JsonWebToken)result.SecurityToken).IssuedAt;
            if (issuedAt == DateTime.MinValue || issuedAt - options.Value.ClockSkew > clock.GetUtcNow().UtcDateTime)
            {
                context.Reject(Errors.InvalidToken, "The token has no valid issue time.");
                return;
            }
            context.Principal = new ClaimsPrincipal(result.ClaimsIdentity).SetTokenType(TokenTypeIdentifiers.AccessToken);
        }

        private static (JsonWebToken? Token, string? Problem) ReadHeader(string token, TokenValidationParameters parameters)
        {
            if (token.Count(c => c == '.') != 2 || token.StartsWith('.') || token.EndsWith('.') || token.Contains("..", StringComparison.Ordinal))
                return (null, "The token is not a compact JWS.");
            JsonWebToken jwt;
            try
            {
                jwt = new JsonWebToken(token);
            }
            catch (ArgumentException)
            {
                return (null, "The token header or payload is not valid JSON.");
            }
            string? problem = null;
            if (jwt.Alg != SecurityAlgorithms.EcdsaSha256)
                problem = "The token is not signed with the expected algorithm.";
            else if (!string.Equals(jwt.Typ, JsonWebTokenTypes.AccessToken, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(jwt.Typ, JsonWebTokenTypes.Prefixes.Application + JsonWebTokenTypes.AccessToken, StringComparison.OrdinalIgnoreCase))
                problem = "The token is not an access token (typ).";
            else if (jwt.TryGetHeaderValue<object>("crit", out _))
                problem = "The token uses critical header extensions this API does not understand.";
            else if (string.IsNullOrEmpty(jwt.Kid))
                problem = "The token names no key.";
            else if (parameters.IssuerSigningKeys?.Any(k => k.KeyId == jwt.Kid) != true)
                problem = "The token is signed with an unknown key.";
            return problem is null ? (jwt, null) : (null, problem);
        }

        private static string Reason(Exception? exception) => exception switch
        {
            SecurityTokenExpiredException or SecurityTokenNoExpirationException => "The token has expired.",
            SecurityTokenNotYetValidException => "The token is not valid yet.",
            SecurityTokenInvalidIssuerException => "The token was issued by another issuer.",
            SecurityTokenInvalidAudienceException => "The token is not meant for this API.",
            SecurityTokenInvalidTypeException => "The token is not an access token (typ).",
            SecurityTokenInvalidAlgorithmException => "The token is not signed with the expected algorithm.",
            SecurityTokenSignatureKeyNotFoundException => "The token is signed with an unknown key.",
            SecurityTokenInvalidSignatureException => "The token signature is invalid.",
            _ => "The token is invalid.",
        };
    }
}
