using System.Threading.RateLimiting;
using CrmTenancy.Infrastructure.Plans;
using CrmTenancy.WebApi.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace CrmTenancy.WebApi.Http;

/// <summary>
/// API requests per minute by plan (docs/decisions/0027), in ASP.NET Core's rate limiter as its global limiter: a window
/// per tenant with the plan's limit, chained with a window per caller (one integration, or one person through the web
/// app) with half of it, so that one client cannot use up its tenant's minute alone. Each tenant has its own partition: a
/// tenant over its limit is answered 429 from memory, without a database call, and the others' requests never queue
/// behind its. Unlimited plans and tenantless calls (sign-in, tokens, operators) take no permit here. Per instance:
/// see docs/architecture.md for what that means with several.
/// </summary>
public static class TenantRateLimits
{
    private const string LimitItem = "crm:api-limit";

    public static IServiceCollection AddTenantRateLimits(this IServiceCollection services) =>
        services.Configure<RateLimiterOptions>(options => options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(PerTenant),
            PartitionedRateLimiter.Create<HttpContext, string>(PerCaller)));

    private static RateLimitPartition<string> PerTenant(HttpContext context) =>
        context.Items[LimitItem] is TenantLimit { PerMinute: { } limit } tenant
            ? Window($"tenant:{tenant.TenantId}:{limit}", limit)
            : RateLimitPartition.GetNoLimiter("unlimited");

    private static RateLimitPartition<string> PerCaller(HttpContext context) =>
        context.Items[LimitItem] is TenantLimit { PerMinute: { } limit } tenant
            ? Window($"caller:{tenant.TenantId}:{context.User.FindFirst(ClaimNames.ClientId)?.Value}:{context.User.FindFirst(ClaimNames.Subject)?.Value}:{limit}",
                Math.Max(1, limit / 2))
            : RateLimitPartition.GetNoLimiter("unlimited");

    // The plan in the key: after a plan change, the tenant's requests count in a window of the new size.
    private static RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private sealed record TenantLimit(Guid TenantId, int? PerMinute);

    /// <summary>Before the rate limiter: the resolved tenant's limit (cached) for the partitions above, and the request counted.</summary>
    public sealed class Lookup(RequestDelegate next)
    {
        public async Task InvokeAsync(HttpContext context, ApiRequestLimits limits, ApiRequestMeter meter)
        {
            // The validated access token's tenant: the authorization server's own endpoints, which resolve a tenant
            // from what they are sent, are not API requests.
            if (context.User.Identity?.IsAuthenticated == true && Guid.TryParse(context.User.FindFirst(ClaimNames.TenantId)?.Value, out var tenantId))
            {
                context.Items[LimitItem] = new TenantLimit(tenantId, await limits.PerMinuteAsync(tenantId, context.RequestAborted));
                meter.Count(tenantId);
            }
            await next(context);
        }
    }
}
