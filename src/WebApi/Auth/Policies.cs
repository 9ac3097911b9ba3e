using CrmTenancy.Application.Abstractions;
using Microsoft.AspNetCore.Authorization;

namespace CrmTenancy.WebApi.Auth;

/// <summary>Endpoint policies: one per scope. A valid token without the scope gets 403.</summary>
public static class Policies
{
    public const string Read = Scopes.Read;
    public const string Write = Scopes.Write;
    public const string Admin = Scopes.Admin;
    public const string Platform = Scopes.Platform;

    public static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder builder)
    {
        foreach (var scope in Scopes.All)
        {
            builder.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(AccessTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ClaimNames.Scope, scope));
        }
        return builder;
    }
}
