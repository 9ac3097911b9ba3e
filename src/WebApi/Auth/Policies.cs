using CrmTenancy.Application.Abstractions;
using Microsoft.AspNetCore.Authorization;

namespace CrmTenancy.WebApi.Auth;

/// <summary>Endpoint policies: one per API scope, plus the tenant administrator's and OpenID's. A valid token without them gets 403.</summary>
public static class Policies
{
    public const string Read = Scopes.Read;
    public const string Write = Scopes.Write;
    public const string Admin = Scopes.Admin;
    public const string Capture = Scopes.Capture;
    public const string Platform = Scopes.Platform;
    /// <summary>A tenant's administrator: the crm.admin scope on a user token with the TenantAdmin role.</summary>
    public const string TenantAdmin = "tenant-admin";
    /// <summary>An OpenID Connect caller (userinfo): the openid scope on a user token.</summary>
    public const string OpenId = Scopes.OpenId;

    public static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder builder)
    {
        foreach (var scope in Scopes.All)
        {
            builder.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(AccessTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ClaimNames.Scope, scope));
        }
        builder.AddPolicy(TenantAdmin, policy => policy
            .AddAuthenticationSchemes(AccessTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ClaimNames.Scope, Scopes.Admin)
            .RequireClaim(ClaimNames.Role, nameof(Domain.Users.UserRole.TenantAdmin)));
        builder.AddPolicy(OpenId, policy => policy
            .AddAuthenticationSchemes(AccessTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(ClaimNames.Scope, Scopes.OpenId)
            .RequireClaim(ClaimNames.Role));
        return builder;
    }
}
