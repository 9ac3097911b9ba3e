using System.Threading.RateLimiting;
using CrmTenancy.WebApi.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace CrmTenancy.WebApi.Http;

/// <summary>Settings of the per-address limits on the anonymous doors ("RateLimits" section).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in form posts per client address per minute (the per-account lockout is separate).</summary>
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>Sign-ups and invitation acceptances per client address per hour.</summary>
    public int SignUpPerHour { get; set; } = 20;

    /// <summary>Lead captures per integration (OAuth2 client) per minute: a form that misbehaves cannot flood the pipeline.</summary>
    public int CapturePerMinute { get; set; } = 120;
}

/// <summary>
/// Fixed-window limits per client address on the endpoints anyone can call without a token: the sign-in form
/// (password guessing across many accounts, which the per-account lockout does not see) and sign-up / invitation
/// acceptance (tenant and account creation). One limit per integration instead: lead capture, which public web forms
/// drive. Over the limit: 429 problem details with Retry-After. The limiter runs after authentication, so a policy
/// can partition by the caller.
/// </summary>
public static class SignInRateLimits
{
    public const string SignIn = "sign-in";
    public const string SignUp = "sign-up";
    public const string Capture = "capture";

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignIn, context => Window(context, SignIn, settings.SignInPerMinute, TimeSpan.FromMinutes(1)));
            limiter.AddPolicy(SignUp, context => Window(context, SignUp, settings.SignUpPerHour, TimeSpan.FromHours(1)));
            limiter.AddPolicy(Capture, context => PerClient(context, Capture, settings.CapturePerMinute, TimeSpan.FromMinutes(1)));
            limiter.OnRejected = async (rejected, _) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too Many Requests", "rate-limited",
                    "Too many requests from this caller; wait and try again.");
            };
        });
    }

    private static RateLimitPartition<string> Window(HttpContext context, string policy, int permits, TimeSpan window) =>
        Fixed($"{policy}:{context.Connection.RemoteIpAddress}", permits, window);

    /// <summary>
    /// Per OAuth2 client of the validated token. A call without one is not counted: authorization answers it 401 next,
    /// and a shared partition for such calls would let anyone make a real client's expired token answer 429.
    /// </summary>
    private static RateLimitPartition<string> PerClient(HttpContext context, string policy, int permits, TimeSpan window) =>
        context.User.FindFirst(Auth.ClaimNames.ClientId)?.Value is { } client
            ? Fixed($"{policy}:client:{client}", permits, window)
            : RateLimitPartition.GetNoLimiter("anonymous");

    private static RateLimitPartition<string> Fixed(string partition, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });
}
