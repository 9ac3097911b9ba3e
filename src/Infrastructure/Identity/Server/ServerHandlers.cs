using System.Security.Claims;
using CrmTenancy.Application.Common.Security;
using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>The product's handlers in OpenIddict's server pipeline (docs/decisions/0019), registered in this order.</summary>
public static class ServerHandlers
{
    public const string TenantClaim = "tenant_id";

    public static readonly OpenIddictServerHandlerDescriptor[] All =
    [
        ResolveClientTenant.Descriptor,
        ScopeReferenceHandle.Descriptor,
        ScopeVerifiedToken.Descriptor,
        LockTokenFamily.Descriptor,
        CommitTokenFamily.Descriptor,
        ScopeSignIn.Descriptor,
        SignWithStoreKey.Descriptor,
        NameTenantInHandle.Descriptor,
        VerifyWithStoreKeys.Descriptor,
        PublishStoreKeys.Descriptor,
    ];

    /// <summary>The tenant an access or ID token's principal names, none for a platform one.</summary>
    public static Guid? TenantOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetClaim(TenantClaim), out var tenant) ? tenant : null;

    /// <summary>
    /// Before the first store query of the authorization, token, introspection and revocation endpoints: the client
    /// is read by its id on the platform role, refused when revoked or its tenant is suspended, and a tenant's client
    /// enters its tenant. A platform client's request takes its tenant from the token it presents (or, at the
    /// authorization endpoint, from the person who signs in); at introspection a platform client sees tenantless tokens only.
    /// </summary>
    public sealed class ResolveClientTenant(AuthLookups lookups, OidcTenantScope scope) : IOpenIddictServerHandler<ProcessAuthenticationContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseScopedHandler<ResolveClientTenant>()
            .SetOrder(ValidateClientId.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ProcessAuthenticationContext context)
        {
            if (context.EndpointType is not (OpenIddictServerEndpointType.Authorization or OpenIddictServerEndpointType.Token
                or OpenIddictServerEndpointType.Introspection or OpenIddictServerEndpointType.Revocation))
                return;
            if (string.IsNullOrEmpty(context.ClientId))
                return;
            if (context.ClientId.Length > CrmApplication.ClientIdMaxLength)
            {
                context.Reject(Errors.InvalidClient, "Client authentication failed.");
                return;
            }
            var client = await lookups.ActiveClientAsync(context.ClientId, context.CancellationToken);
            if (client is null)
            {
                context.Reject(Errors.InvalidClient, "Client authentication failed.");
                return;
            }
            // A public client cannot authenticate, so it may not introspect: invalid_client, not an inactive answer.
            if (client.IsPublic && context.EndpointType is OpenIddictServerEndpointType.Introspection)
            {
                context.Reject(Errors.InvalidClient, "Only a confidential client may introspect tokens.");
                return;
            }
            scope.Client = client;
            if (client.TenantId is { } tenant)
                scope.TryEnter(tenant);
            else if (context.EndpointType is OpenIddictServerEndpointType.Introspection)
                scope.TryEnter(null);
        }
    }

    /// <summary>
    /// Codes and refresh tokens are handles that name their tenant (<c>{tenant:N}.{reference}</c>, as ADR 0016's): the
    /// request enters that tenant before the handle is looked up, under its row-level security, and an edited prefix
    /// or one of another tenant than the client's finds nothing.
    /// </summary>
    public sealed class ScopeReferenceHandle(OidcTenantScope scope) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<ScopeReferenceHandle>()
            .SetOrder(Protection.ValidateReferenceTokenIdentifier.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (string.IsNullOrEmpty(context.Token) || context.SecurityTokenHandler.CanReadToken(context.Token))
                return default;
            if (!TenantHandles.TryRead(context.Token, out var tenant, out var reference) || !scope.TryEnter(tenant))
            {
                context.Reject(Errors.InvalidToken, "The token is invalid, expired or was revoked.");
                return default;
            }
            context.Token = reference;
            return default;
        }
    }

    /// <summary>
    /// A JWT (an access token presented for introspection, revocation or userinfo) enters the tenant it names once its
    /// signature is verified and before its entry is first read (OpenIddict's RestoreTokenEntryProperties); in a request already in another tenant it is invalid.
    /// </summary>
    public sealed class ScopeVerifiedToken(OidcTenantScope scope) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<ScopeVerifiedToken>()
            .SetOrder(Protection.RestoreTokenEntryProperties.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.IsReferenceToken || context.Principal is null)
                return default;
            if (!scope.TryEnter(TenantOf(context.Principal)))
                context.Reject(Errors.InvalidToken, "The token is invalid, expired or was revoked.");
            return default;
        }
    }

    /// <summary>
    /// Serialises every redemption of one authorization (code or refresh token) on a transaction-held advisory lock, and
    /// reads the token's status again under it: of concurrent presentations one wins, and every other finds the token
    /// spent and revokes the whole family, including what the winner issued (RFC 9700 4.14.2). The transaction commits
    /// with the response (<see cref="CommitTokenFamily"/>).
    /// </summary>
    public sealed class LockTokenFamily(CrmDbContext db, TokenFamily family, TimeProvider clock) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        // Before OpenIddict's own entry checks, which then read the entry afresh under the lock.
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<LockTokenFamily>()
            .SetOrder(Protection.ValidateTokenEntry.Descriptor.Order - 250)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.EndpointType is not OpenIddictServerEndpointType.Token || context.Principal is not { } principal
                || !(principal.HasTokenType(TokenTypeIdentifiers.Private.AuthorizationCode) || principal.HasTokenType(TokenTypeIdentifiers.RefreshToken))
                || !Guid.TryParse(context.AuthorizationId ?? principal.GetAuthorizationId(), out var authorizationId)
                || !Guid.TryParse(context.TokenId ?? principal.GetTokenId(), out var tokenId))
                return;
            var isCode = principal.HasTokenType(TokenTypeIdentifiers.Private.AuthorizationCode);
            if (db.Database.CurrentTransaction is null)
                await db.Database.BeginTransactionAsync(context.CancellationToken);
            var key = BitConverter.ToInt64(authorizationId.ToByteArray(), 8);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", context.CancellationToken);
            // What was read before the lock may be stale: OpenIddict reads the entry again.
            db.ChangeTracker.Clear();
            var state = await db.Database.SqlQuery<FamilyRow>($"""
                SELECT t.status AS "TokenStatus", t.expiration_date AS "ExpiresAt", a.status AS "FamilyStatus", a.creation_date AS "FamilyCreatedAt"
                FROM oidc_tokens t JOIN oidc_authorizations a ON a.id = t.authorization_id
                WHERE t.id = {tokenId} AND a.id = {authorizationId}
                """).FirstOrDefaultAsync(context.CancellationToken);
            var now = clock.GetUtcNow();
            if (state is not null)
                family.EndsAt = new DateTimeOffset(DateTime.SpecifyKind(state.FamilyCreatedAt ?? now.UtcDateTime, DateTimeKind.Utc)) + TokenFamily.Lifetime;
            // The family's end needs no check of its own: every refresh token's expiry is capped to it when it is issued.
            if (state is { TokenStatus: Statuses.Valid, FamilyStatus: Statuses.Valid } && (state.ExpiresAt is not { } expires || expires > now.UtcDateTime))
                return;
            if (state?.TokenStatus == Statuses.Redeemed)
                await TokenFamilies.RevokeAsync(db, authorizationId, context.CancellationToken);
            context.Reject(Errors.InvalidToken, isCode
                ? "The authorization code is invalid, expired or was already used."
                : "The refresh token is invalid, expired or revoked; a spent one revokes its whole family.");
        }

        private sealed record FamilyRow(string? TokenStatus, DateTime? ExpiresAt, string? FamilyStatus, DateTime? FamilyCreatedAt);
    }

    /// <summary>Commits the family's transaction with the token response, whether it issued tokens or revoked a family.</summary>
    public sealed class CommitTokenFamily(CrmDbContext db) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<CommitTokenFamily>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (db.Database.CurrentTransaction is { } transaction)
                await transaction.CommitAsync(context.CancellationToken);
        }
    }

    /// <summary>
    /// A sign-in enters the tenant of the account (or client) it issues tokens for, before any entry is written; and
    /// the request's client, already read, is attached to the request's context, so that linking each token entry to
    /// its client (EF Core's Find in OpenIddict's token store) does not read it again.
    /// </summary>
    public sealed class ScopeSignIn(OidcTenantScope scope, CrmDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<ScopeSignIn>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (context.Principal is { } principal && !scope.TryEnter(TenantOf(principal)))
                throw new InvalidOperationException("A sign-in cannot issue tokens of another tenant than its request's.");
            if (scope.Client is { } client && !db.ChangeTracker.Entries<CrmApplication>().Any(e => e.Entity.Id == client.Id))
                db.Attach(client);
            return default;
        }
    }

    /// <summary>Tokens are signed with the current key of the product's key store (rotated by the platform), not a start-up key.</summary>
    public sealed class SignWithStoreKey(SigningKeyStore keys) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<SignWithStoreKey>()
            .SetOrder(Protection.AttachSecurityCredentials.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(GenerateTokenContext context)
        {
            var current = await keys.CurrentAsync(context.CancellationToken);
            context.SigningCredentials = new SigningCredentials(current.SecurityKey, SecurityAlgorithms.EcdsaSha256);
        }
    }

    /// <summary>A code or refresh token is handed out as a handle naming its tenant (see <see cref="ScopeReferenceHandle"/>).</summary>
    public sealed class NameTenantInHandle(OidcTenantScope scope) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseScopedHandler<NameTenantInHandle>()
            .SetOrder(Protection.AttachTokenPayload.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            if (context.IsReferenceToken && !string.IsNullOrEmpty(context.Token))
                context.Token = TenantHandles.Name(scope.TenantId, context.Token);
            return default;
        }
    }

    /// <summary>Tokens presented to the server verify against every published key of the store.</summary>
    public sealed class VerifyWithStoreKeys(SigningKeyStore keys) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<VerifyWithStoreKeys>()
            .SetOrder(Protection.ResolveTokenValidationParameters.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            context.TokenValidationParameters.IssuerSigningKeys = await keys.VerificationKeysAsync(context.CancellationToken);
        }
    }

    /// <summary>The JWKS publishes the store's keys: the current one and retired ones until their tokens expire.</summary>
    public sealed class PublishStoreKeys(SigningKeyStore keys) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<PublishStoreKeys>()
            .SetOrder(Discovery.AttachSigningKeys.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
        {
            context.Keys.Clear();
            foreach (var key in await keys.KeysAsync(context.CancellationToken))
            {
                var parameters = key.Key.ExportParameters(includePrivateParameters: false);
                context.Keys.Add(new JsonWebKey
                {
                    Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
                    Use = JsonWebKeyUseNames.Sig,
                    Alg = SecurityAlgorithms.EcdsaSha256,
                    Kid = key.KeyId,
                    Crv = JsonWebKeyECTypes.P256,
                    X = Base64UrlEncoder.Encode(parameters.Q.X),
                    Y = Base64UrlEncoder.Encode(parameters.Q.Y),
                });
            }
        }
    }
}

/// <summary>Handles that name their tenant: <c>{tenant:N}.{reference}</c>, 32 zeros for none.</summary>
public static class TenantHandles
{
    public static string Name(Guid? tenantId, string reference) => $"{(tenantId ?? Guid.Empty):N}.{reference}";

    public static bool TryRead(string handle, out Guid? tenantId, out string reference)
    {
        tenantId = null;
        reference = "";
        if (handle.Length < 34 || handle[32] != '.' || !Guid.TryParseExact(handle.AsSpan(0, 32), "N", out var tenant))
            return false;
        tenantId = tenant == Guid.Empty ? null : tenant;
        reference = handle[33..];
        return reference.Length > 0;
    }
}

/// <summary>The token family a token request works on: when it ends, however often its refresh token is rotated.</summary>
public sealed class TokenFamily
{
    /// <summary>How long a family lives from its sign-in: then the user signs in again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public DateTimeOffset? EndsAt { get; set; }
}

/// <summary>Revocation of a whole token family (every token of one authorization, and the authorization).</summary>
public static class TokenFamilies
{
    public static async Task RevokeAsync(CrmDbContext db, Guid authorizationId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"UPDATE oidc_tokens SET status = {Statuses.Revoked} WHERE authorization_id = {authorizationId} AND status <> {Statuses.Revoked}", cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"UPDATE oidc_authorizations SET status = {Statuses.Revoked} WHERE id = {authorizationId}", cancellationToken);
    }
}
