using System.Text.RegularExpressions;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// The authorization endpoint's errors as the product promised (ADR 0015): once the client and its exact redirect URI
/// are known good, every other error goes back to the client with the state and the issuer (RFC 6749 section 4.1.2.1,
/// RFC 9207), whatever stage of OpenIddict found it; an unknown client or unregistered redirect URI gets a page naming
/// the problem and no redirect (the product's page renders <see cref="OpenIddictResponse.ErrorDescription"/>).
/// </summary>
public static partial class AuthorizationHandlers
{
    public const string UnknownClient = "The client is unknown or may not use the authorization code flow.";
    public const string UnregisteredRedirect = "redirect_uri is missing or is not one the client registered (it must match exactly).";

    public static readonly OpenIddictServerHandlerDescriptor[] All = [S256ChallengeShape.Descriptor, ErrorsToVerifiedRedirect.Descriptor];

    /// <summary>An S256 challenge is the base64url SHA-256 of the verifier: exactly 43 characters (RFC 7636 section 4.2).</summary>
    public sealed partial class S256ChallengeShape : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<S256ChallengeShape>()
            .SetOrder(Authentication.ValidateProofKeyForCodeExchangeParameters.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
        {
            if (context.Request.CodeChallengeMethod == CodeChallengeMethods.Sha256 && !Base64UrlSha256().IsMatch(context.Request.CodeChallenge ?? ""))
                context.Reject(Errors.InvalidRequest, "code_challenge must be the base64url SHA-256 of the verifier (43 characters).");
            return default;
        }

        [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
        private static partial Regex Base64UrlSha256();
    }

    /// <summary>An error without a redirect yet: redirect it when the client and redirect URI check out, else name the problem.</summary>
    public sealed class ErrorsToVerifiedRedirect(OidcTenantScope scope) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseScopedHandler<ErrorsToVerifiedRedirect>()
            .SetOrder(Authentication.InferResponseMode.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
        {
            if (context.RedirectUri is not null || string.IsNullOrEmpty(context.Response.Error) || context.Request is not { } request)
                return;
            // A parameter sent twice (RFC 6749 section 3.1) makes the whole request untrustworthy, its redirect URI too.
            if (request.GetParameters().FirstOrDefault(p => p.Value.Count > 1).Key is { } repeated)
            {
                context.Response.ErrorDescription = $"{repeated} is sent more than once.";
                return;
            }
            var client = await scope.ClientAsync(request.ClientId, context.CancellationToken);
            if (client is not { AllowsAuthorizationCode: true })
            {
                context.Response.ErrorDescription = UnknownClient;
                return;
            }
            if (request.RedirectUri is not { } redirectUri || !client.RedirectUriList.Contains(redirectUri, StringComparer.Ordinal))
            {
                context.Response.ErrorDescription = UnregisteredRedirect;
                return;
            }
            context.RedirectUri = redirectUri;
            context.ResponseMode = ResponseModes.Query;
            if (request.ResponseType != ResponseTypes.Code)
            {
                context.Response.Error = Errors.UnsupportedResponseType;
                context.Response.ErrorDescription = "Only response_type=code is supported (with PKCE S256).";
            }
        }
    }
}
