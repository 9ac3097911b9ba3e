using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// The token endpoint's answers the product promised (ADR 0015) where OpenIddict words them otherwise (RFC 6749
/// section 5.2): a scope the client may not have is <c>invalid_scope</c>, not <c>invalid_request</c>; a code redeemed
/// without its verifier or redirect URI, and a refresh token presented by a client it was not issued to, are
/// <c>invalid_grant</c>. Each runs just before the OpenIddict check it words differently.
/// </summary>
public static class TokenRequestHandlers
{
    public static readonly OpenIddictServerHandlerDescriptor[] All = [CodeProofs.Descriptor, ClientPermissions.Descriptor, RefreshScopes.Descriptor, ScopeInEveryResponse.Descriptor, RefreshTokenWithEveryCode.Descriptor];

    /// <summary>PKCE is required of every code: a redemption without the verifier, or without the redirect URI the code
    /// was issued for, cannot prove it is the code's own client (RFC 7636 section 4.6).</summary>
    public sealed class CodeProofs : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<CodeProofs>()
            .SetOrder(Exchange.ValidateProofKeyForCodeExchangeParameters.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (!context.Request.IsAuthorizationCodeGrantType() || string.IsNullOrEmpty(context.Request.Code))
                return default;
            if (string.IsNullOrEmpty(context.Request.CodeVerifier))
                context.Reject(Errors.InvalidGrant, "code_verifier is required: the code was issued with an S256 challenge.");
            else if (string.IsNullOrEmpty(context.Request.RedirectUri))
                context.Reject(Errors.InvalidGrant, "redirect_uri must be the one the code was issued for.");
            return default;
        }
    }

    /// <summary>After client authentication: the grant and the scopes must be the client's.</summary>
    public sealed class ClientPermissions(OidcTenantScope scope) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<ClientPermissions>()
            .SetOrder(Exchange.ValidateGrantTypePermissions.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (scope.Client is not { } client)
                return default;
            if (context.Request.IsRefreshTokenGrantType() && !client.AllowsAuthorizationCode)
            {
                context.Reject(Errors.InvalidGrant, "The refresh token was not issued to this client.");
                return default;
            }
            var allowed = client.AllowedScopes;
            var refused = context.Request.GetScopes().Where(s => s is not (Scopes.OpenId or Scopes.OfflineAccess) && !allowed.Contains(s)).ToList();
            if (refused.Count > 0)
                context.Reject(Errors.InvalidScope, $"The client may not ask for: {string.Join(' ', refused)}.");
            return default;
        }
    }

    /// <summary>A refresh may narrow the granted scopes, never widen them (RFC 6749 section 6).</summary>
    public sealed class RefreshScopes : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<RefreshScopes>()
            .SetOrder(Exchange.ValidateGrantedScopes.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (!context.Request.IsRefreshTokenGrantType() || string.IsNullOrEmpty(context.Request.Scope) || context.RefreshTokenPrincipal is not { } principal)
                return default;
            var granted = principal.GetScopes();
            var wider = context.Request.GetScopes().Except(granted, StringComparer.Ordinal).ToList();
            if (wider.Count > 0)
                context.Reject(Errors.InvalidScope, $"A refresh cannot add scopes that were not granted: {string.Join(' ', wider)}.");
            return default;
        }
    }

    /// <summary>Every token response names the access token's scopes. OpenIddict leaves them out when they are exactly the
    /// ones asked for (as RFC 6749 section 5.1 allows); the product always said them, so clients read what they hold.</summary>
    public sealed class ScopeInEveryResponse : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<ScopeInEveryResponse>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (!string.IsNullOrEmpty(context.Response.AccessToken) && string.IsNullOrEmpty(context.Response.Scope) && context.Request is { } request)
                context.Response.Scope = string.Join(' ', request.GetScopes());
            return default;
        }
    }

    /// <summary>A code's redemption and every refresh hand out a (rotated) refresh token, offline_access or not, as
    /// before OpenIddict (ADR 0015): the family's 30 days and the per-request checks bound it, not the scope.</summary>
    public sealed class RefreshTokenWithEveryCode : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<RefreshTokenWithEveryCode>()
            .SetOrder(EvaluateGeneratedTokens.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (context.EndpointType is OpenIddictServerEndpointType.Token
                && (context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType()))
                context.GenerateRefreshToken = context.IncludeRefreshToken = true;
            return default;
        }
    }
}
