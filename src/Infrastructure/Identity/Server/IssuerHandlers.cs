using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// The issuer identifier is exactly the configured string (<c>Tokens:Issuer</c>, no trailing slash), as it always was:
/// integrations compare <c>iss</c> by ordinal string equality (RFC 8414 section 3.3, RFC 9207). OpenIddict writes
/// <see cref="Uri.AbsoluteUri"/>, which adds a slash to a bare host; these handlers write the configured string into
/// every token, the discovery document, authorization responses and introspection answers.
/// </summary>
public static class IssuerHandlers
{
    public static readonly OpenIddictServerHandlerDescriptor[] All =
    [
        IntoTokens.Descriptor,
        IntoDiscovery.Descriptor,
        IntoAuthorizationResponses.Descriptor,
        IntoIntrospection.Descriptor,
    ];

    /// <summary>Every token OpenIddict generates (access, ID, code, refresh) names the configured issuer: in the principal,
    /// and in the descriptor OpenIddict's AttachTokenMetadata filled in just before.</summary>
    public sealed class IntoTokens(IOptions<TokenOptions> options) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<IntoTokens>()
            .SetOrder(Protection.GenerateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            context.Principal?.SetClaim(Claims.Private.Issuer, options.Value.Issuer);
            if (context.SecurityTokenDescriptor.Issuer is not null)
                context.SecurityTokenDescriptor.Issuer = options.Value.Issuer;
            return default;
        }
    }

    /// <summary>The discovery document names the configured issuer, and its endpoints under it.</summary>
    public sealed class IntoDiscovery(IOptions<TokenOptions> options) : IOpenIddictServerHandler<ApplyConfigurationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyConfigurationResponseContext>()
            .UseSingletonHandler<IntoDiscovery>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyConfigurationResponseContext context)
        {
            if (!context.Response.HasParameter(Metadata.Issuer))
                return default;
            context.Response[Metadata.Issuer] = options.Value.Issuer;
            // Endpoints are published under the issuer, not under whatever host the request came in by.
            if (context.BaseUri?.AbsoluteUri is not { } requestBase)
                return default;
            var issuerBase = options.Value.Issuer.TrimEnd('/') + "/";
            foreach (var (name, value) in context.Response.GetParameters().ToList())
                if ((string?)value is { } text && text.StartsWith(requestBase, StringComparison.Ordinal))
                    context.Response[name] = issuerBase + text[requestBase.Length..];
            return default;
        }
    }

    /// <summary>RFC 9207: the iss of a redirect back to the client (OpenIddict keeps one that is already set).</summary>
    public sealed class IntoAuthorizationResponses(IOptions<TokenOptions> options) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseSingletonHandler<IntoAuthorizationResponses>()
            .SetOrder(Authentication.AttachIssuer.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
        {
            if (!string.IsNullOrEmpty(context.RedirectUri))
                context.Response.Iss = options.Value.Issuer;
            return default;
        }
    }

    public sealed class IntoIntrospection(IOptions<TokenOptions> options) : IOpenIddictServerHandler<ApplyIntrospectionResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyIntrospectionResponseContext>()
            .UseSingletonHandler<IntoIntrospection>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ApplyIntrospectionResponseContext context)
        {
            if (context.Response.HasParameter(Claims.Issuer))
                context.Response[Claims.Issuer] = options.Value.Issuer;
            return default;
        }
    }
}
