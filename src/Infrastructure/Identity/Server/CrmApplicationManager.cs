using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// OpenIddict's application manager with the product's client secret hashes (docs/decisions/0008): secrets are 256
/// random bits the server generates, so one SHA-256 is enough, and a token request does not pay for a slow hash.
/// The request's client, read once and fresh by <see cref="ServerHandlers.ResolveClientTenant"/> (revoked clients and
/// suspended tenants refused), answers OpenIddict's lookups by client id: without it each of OpenIddict's checks
/// (client, secret, endpoint, grant type, scopes) read the row again, five queries per token request, and writing the
/// token entry read it once more by its id.
/// </summary>
public sealed class CrmApplicationManager(
    IOpenIddictApplicationCache<CrmApplication> cache, ILogger<OpenIddictApplicationManager<CrmApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options, IOpenIddictApplicationStore<CrmApplication> store, OidcTenantScope scope)
    : OpenIddictApplicationManager<CrmApplication>(cache, logger, options, store)
{
    public override ValueTask<CrmApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        scope.Client is { } client && string.Equals(client.ClientId, identifier, StringComparison.Ordinal)
            ? ValueTask.FromResult<CrmApplication?>(client)
            : base.FindByClientIdAsync(identifier, cancellationToken);

    /// <summary>The same client by its id, as OpenIddict asks for it when it writes a token entry: no second read.</summary>
    public override ValueTask<CrmApplication?> FindByIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        scope.Client is { } client && string.Equals(client.Id.ToString(), identifier, StringComparison.OrdinalIgnoreCase)
            ? ValueTask.FromResult<CrmApplication?>(client)
            : base.FindByIdAsync(identifier, cancellationToken);

    private static readonly string UnknownSecretHash = ClientSecretHasher.Hash(ClientSecretHasher.GenerateSecret());

    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ClientSecretHasher.Hash(secret));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ClientSecretHasher.Verify(secret, string.IsNullOrEmpty(comparand) ? UnknownSecretHash : comparand));
}
