using CrmTenancy.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace CrmTenancy.Infrastructure.Identity.Server;

/// <summary>
/// Access tokens are revocable without an entry per token (docs/decisions/0023): none is written when one is issued,
/// and revoking one writes its entry, already revoked, under the token's <c>jti</c>. Everything that accepts an access
/// token refuses one whose entry is not valid or whose authorization (family) is not: the API's per-request check
/// (<see cref="SubjectCheck"/>), and here the server's own endpoints (introspection, userinfo). Codes and refresh tokens
/// keep their entries: their redemption and rotation need them.
/// </summary>
public static class AccessTokenEntries
{
    public static readonly OpenIddictServerHandlerDescriptor[] All =
        [WriteNoEntry.Descriptor, RefuseRevoked.Descriptor, EntryForRevocation.Descriptor];

    /// <summary>The id an access token is known by: its entry's if it was issued with one, otherwise its <c>jti</c>.</summary>
    public static Guid? IdOf(System.Security.Claims.ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetTokenId(), out var entry) ? entry
        : Guid.TryParse(principal.GetClaim(Claims.JwtId), out var jti) ? jti
        : null;

    /// <summary>An access token is issued without an entry: no write on the token endpoint's hot path.</summary>
    public sealed class WriteNoEntry : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<WriteNoEntry>()
            .SetOrder(Protection.CreateTokenEntry.Descriptor.Order - 250)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            if (context.TokenType == TokenTypeIdentifiers.AccessToken)
                context.CreateTokenEntry = false;
            return default;
        }
    }

    /// <summary>
    /// An access token presented to the server (introspection, userinfo, revocation) without an entry id is refused
    /// when an entry under its <c>jti</c> says it was revoked, or its authorization (a person's token family: revoked when
    /// a spent refresh token is presented, or the account is deactivated) is not valid. OpenIddict reads the
    /// authorization only through a token's entry, so this handler does for entry-less tokens.
    /// </summary>
    public sealed class RefuseRevoked(CrmDbContext db) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<RefuseRevoked>()
            .SetOrder(Protection.ValidateTokenEntry.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (!string.IsNullOrEmpty(context.TokenId) || context.Principal is not { } principal
                || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken))
                return;
            if (IdOf(principal) is not { } id)
            {
                context.Reject(Errors.InvalidToken, "The token is invalid, expired or was revoked.");
                return;
            }
            Guid? authorization = Guid.TryParse(principal.GetAuthorizationId(), out var family) ? family : null;
            var revoked = await db.Database.SqlQuery<bool>($"""
                SELECT EXISTS (SELECT 1 FROM oidc_tokens WHERE id = {id} AND status IS DISTINCT FROM {Statuses.Valid})
                    OR ({authorization}::uuid IS NOT NULL
                        AND (SELECT status FROM oidc_authorizations WHERE id = {authorization}) IS DISTINCT FROM {Statuses.Valid}) AS "Value"
                """).SingleAsync(context.CancellationToken);
            if (revoked)
                context.Reject(Errors.InvalidToken, "The token is invalid, expired or was revoked.");
        }
    }

    /// <summary>
    /// Revoking an access token that has no entry writes one for it, revoked, under its <c>jti</c> in the token's tenant
    /// (which the request entered when the token was verified), kept until the token's own expiry has long passed
    /// (<see cref="TokenRetentionService"/>); OpenIddict's revocation then finds it as for any other token.
    /// </summary>
    public sealed class EntryForRevocation(CrmDbContext db, OidcTenantScope scope) : IOpenIddictServerHandler<HandleRevocationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseScopedHandler<EntryForRevocation>()
            .SetOrder(Revocation.RevokeToken.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(HandleRevocationRequestContext context)
        {
            if (context.GenericTokenPrincipal is not { } principal || !string.IsNullOrEmpty(principal.GetTokenId())
                || !principal.HasTokenType(TokenTypeIdentifiers.AccessToken)
                || !Guid.TryParse(principal.GetClaim(Claims.JwtId), out var id))
                return;
            Guid? authorization = Guid.TryParse(principal.GetAuthorizationId(), out var family) ? family : null;
            Guid? application = scope.Client is { } client && client.ClientId == principal.GetClaim(Claims.ClientId) ? client.Id : null;
            var tenant = scope.TenantId;
            var created = principal.GetCreationDate()?.UtcDateTime;
            var expires = principal.GetExpirationDate()?.UtcDateTime;
            var subject = principal.GetClaim(Claims.Subject);
            var concurrency = Guid.NewGuid().ToString();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO oidc_tokens (id, tenant_id, application_id, authorization_id, concurrency_token, creation_date, expiration_date, status, subject, type)
                VALUES ({id}, {tenant}, {application}, {authorization}, {concurrency}, {created}, {expires}, {Statuses.Revoked}, {subject}, {TokenTypeIdentifiers.AccessToken})
                ON CONFLICT (id) DO NOTHING
                """, context.CancellationToken);
            principal.SetTokenId(id.ToString());
        }
    }
}
