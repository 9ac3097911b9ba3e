using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// Introspection (RFC 7662) and revocation (RFC 7009) in the product's terms (ADR 0015). Both authenticate the client
/// before anything else. Introspection answers any confidential client of the token's tenant (the request is bound to
/// that tenant, see <see cref="OidcTenantScope"/>, so another tenant's token is simply inactive) and describes the token
/// fully, with Cache-Control: no-store; OpenIddict's own rule, that only the token's presenter or audience may learn anything, is removed.
/// </summary>
public static class IntrospectionHandlers
{
    public static readonly OpenIddictServerHandlerDescriptor[] All =
        [RevocationClientFirst.Descriptor, IntrospectionClientFirst.Descriptor, DescribeToTenantClients.Descriptor,
         OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers.AttachCacheControlHeader<ApplyIntrospectionResponseContext>.Descriptor];

    public static readonly OpenIddictServerHandlerDescriptor[] Removed = [Introspection.ValidateAuthorizedParty.Descriptor];

    private const string ClientRequired = "Client authentication is required.";

    public sealed class RevocationClientFirst : IOpenIddictServerHandler<ValidateRevocationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateRevocationRequestContext>()
            .UseSingletonHandler<RevocationClientFirst>()
            .SetOrder(Revocation.ValidateTokenParameter.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateRevocationRequestContext context)
        {
            if (string.IsNullOrEmpty(context.Request.ClientId))
                context.Reject(Errors.InvalidClient, ClientRequired);
            return default;
        }
    }

    public sealed class IntrospectionClientFirst : IOpenIddictServerHandler<ValidateIntrospectionRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateIntrospectionRequestContext>()
            .UseSingletonHandler<IntrospectionClientFirst>()
            .SetOrder(Introspection.ValidateTokenParameter.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
        {
            if (string.IsNullOrEmpty(context.Request.ClientId))
                context.Reject(Errors.InvalidClient, ClientRequired);
            return default;
        }
    }

    /// <summary>The token's subject, type, scopes and tenant, for a confidential client of that tenant.</summary>
    public sealed class DescribeToTenantClients(OidcTenantScope scope) : IOpenIddictServerHandler<HandleIntrospectionRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleIntrospectionRequestContext>()
            .UseScopedHandler<DescribeToTenantClients>()
            .SetOrder(Introspection.AttachApplicationClaims.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(HandleIntrospectionRequestContext context)
        {
            if (scope.Client is not { IsPublic: false } || context.GenericTokenPrincipal is not { } principal)
                return default;
            context.Scopes.UnionWith(principal.GetScopes());
            context.Subject ??= principal.GetClaim(Claims.Subject);
            if (principal.HasTokenType(TokenTypeIdentifiers.RefreshToken))
                context.TokenType ??= TokenTypeHints.RefreshToken;
            if (principal.GetClaim(ServerHandlers.TenantClaim) is { } tenant)
                context.Claims[ServerHandlers.TenantClaim] = tenant;
            return default;
        }
    }
}
