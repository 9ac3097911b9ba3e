using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Plans;

/// <summary>
/// API requests per minute by plan: a tenant past its plan's rate gets 429 problem details with Retry-After, and its
/// flood does not reach another tenant, whose requests all answer.
/// </summary>
public sealed class TenantRateLimitTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_flooding_tenant_gets_429_with_retry_after_and_the_other_tenant_still_answers()
    {
        using var platform = await PlatformOperatorAsync();
        using (var plan = await platform.PutAsJsonAsync($"/api/platform/tenants/{TenantA.Id}/plan", new { plan = "free" }))
            Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        // Free: 300 requests a minute for the tenant, 150 for one caller; 400 from the one client go past both.
        var flood = Task.Run(async () =>
        {
            var statuses = new List<HttpStatusCode>();
            await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
            {
                using var response = await A.GetAsync("/api/customers", ct);
                lock (statuses)
                    statuses.Add(response.StatusCode);
            });
            return statuses;
        });
        var other = new List<(HttpStatusCode Status, TimeSpan Took)>();
        while (!flood.IsCompleted)
        {
            var watch = Stopwatch.StartNew();
            using var response = await B.GetAsync("/api/customers");
            other.Add((response.StatusCode, watch.Elapsed));
        }
        var statuses = await flood;

        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) == 150, string.Join(",", statuses.GroupBy(s => s).Select(g => $"{g.Key}:{g.Count()}")));
        Assert.Equal(250, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.NotEmpty(other);
        Assert.All(other, o => Assert.Equal(HttpStatusCode.OK, o.Status));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"tenant B during A's flood: {other.Count} requests, slowest {other.Max(o => o.Took).TotalMilliseconds:F0} ms");

        using var refused = await A.GetAsync("/api/customers");
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(int.TryParse(refused.Headers.GetValues("Retry-After").Single(), out var seconds) && seconds is > 0 and <= 60,
            "Retry-After: " + string.Join(",", refused.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.OK, (await B.GetAsync("/api/customers")).StatusCode);
    }

    [Fact]
    public async Task The_usage_reports_the_requests_of_the_current_minute_against_the_plans_rate()
    {
        for (var i = 0; i < 5; i++)
            (await A.GetAsync("/api/customers")).Dispose();

        var usage = await Json(await A.GetAsync("/api/tenant/usage"));

        var rate = usage.GetProperty("limits").EnumerateArray().Single(l => l.GetProperty("resource").GetString() == "apiRequestsPerMinute");
        Assert.Equal("minute", rate.GetProperty("period").GetString());
        Assert.InRange(rate.GetProperty("used").GetInt32(), 6, 60);
        var usageB = await Json(await B.GetAsync("/api/tenant/usage"));
        Assert.InRange(usageB.GetProperty("limits").EnumerateArray().Single(l => l.GetProperty("resource").GetString() == "apiRequestsPerMinute")
            .GetProperty("used").GetInt32(), 1, 5);
    }
}
