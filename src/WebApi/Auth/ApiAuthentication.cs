using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace CrmTenancy.WebApi.Auth;

/// <summary>
/// Authentication, with the API's own paths (<c>/api</c>) on the bearer scheme alone. ASP.NET Core's authentication
/// middleware first offers every request to each scheme that handles requests itself (OpenIddict's server and
/// validation, which compare the path with their endpoints) and only then authenticates; none of those endpoints is
/// under <c>/api</c>, so there the offer is skipped. Every other path goes through the framework's middleware.
/// </summary>
public sealed class ApiAuthentication(RequestDelegate next, IAuthenticationSchemeProvider schemes)
{
    /// <summary>The key the framework's <c>UseAuthentication</c> sets; without it the host adds its own authentication in front of the pipeline.</summary>
    private const string MiddlewareSetKey = "__AuthenticationMiddlewareSet";

    private readonly AuthenticationMiddleware _framework = new(next, schemes);

    public static bool IsApiRequest(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    public Task InvokeAsync(HttpContext context) => IsApiRequest(context) ? AuthenticateAsync(context) : _framework.Invoke(context);

    private async Task AuthenticateAsync(HttpContext context)
    {
        context.Features.Set<IAuthenticationFeature>(new AuthenticationFeature
        {
            OriginalPath = context.Request.Path,
            OriginalPathBase = context.Request.PathBase,
        });
        var result = await context.AuthenticateAsync(AccessTokenAuthenticationHandler.SchemeName);
        if (result.Principal is not null)
            context.User = result.Principal;
        if (result.Succeeded)
        {
            var authenticated = new Authenticated(result);
            context.Features.Set<IHttpAuthenticationFeature>(authenticated);
            context.Features.Set<IAuthenticateResultFeature>(authenticated);
        }
        await next(context);
    }

    /// <summary>In place of the framework's <c>UseAuthentication</c>.</summary>
    public static IApplicationBuilder Use(IApplicationBuilder app)
    {
        app.Properties[MiddlewareSetKey] = true;
        return app.UseMiddleware<ApiAuthentication>();
    }

    /// <summary>What the framework's middleware records for a successful authentication (its own type is internal), with
    /// its rule: setting the user replaces the result, which is then no longer an authentication result.</summary>
    private sealed class Authenticated(AuthenticateResult result) : IHttpAuthenticationFeature, IAuthenticateResultFeature
    {
        private ClaimsPrincipal? _user = result.Principal;
        private AuthenticateResult? _result = result;

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                _result = value;
                _user = value?.Principal;
            }
        }

        public ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                _user = value;
                _result = null;
            }
        }
    }
}
