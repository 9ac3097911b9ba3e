using System.Net;
using System.Net.Http.Json;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CrmTenancy.FunctionalTests.Identity;

/// <summary>The anonymous doors are limited per client address: over the limit, 429 problem details with Retry-After.</summary>
public sealed class RateLimitTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Sign_ups_over_the_hourly_limit_get_429_and_create_nothing()
    {
        await using var limited = Factory.WithWebHostBuilder(host => host.UseSetting("RateLimits:SignUpPerHour", "2"));
        using var anonymous = limited.CreateClient();
        for (var i = 1; i <= 3; i++)
        {
            using var response = await anonymous.PostAsJsonAsync("/api/signup", new
            {
                organisationName = $"Org {i}", slug = $"limited-{i}", email = $"founder@limited-{i}.example", displayName = "Founder",
                password = "a long enough passphrase",
            });
            if (i <= 2)
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                continue;
            }
            await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "rate-limited");
            Assert.True(response.Headers.RetryAfter is not null, "Retry-After is missing");
        }
        await using var db = Factory.Database.Owner();
        Assert.False(db.Tenants.Any(t => t.Slug == "limited-3"));
    }

    [Fact]
    public async Task Sign_in_posts_over_the_per_minute_limit_get_429()
    {
        await using var limited = Factory.WithWebHostBuilder(host => host.UseSetting("RateLimits:SignInPerMinute", "3"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var browser = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            var page = await browser.GetStringAsync("/account/login");
            var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                ["organisation"] = TenantA.Slug,
                ["email"] = "nobody@a.example",
                ["password"] = "wrong password here",
            }));
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }
}
