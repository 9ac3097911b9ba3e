using Microsoft.IdentityModel.Tokens;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>The product's handlers in OpenIddict's validation pipeline (API requests).</summary>
public static class ValidationHandlers
{
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
            var published = await keys.KeysAsync(context.CancellationToken);
            context.TokenValidationParameters.IssuerSigningKeys = published.Select(k => (SecurityKey)k.SecurityKey).ToList();
        }
    }
}
