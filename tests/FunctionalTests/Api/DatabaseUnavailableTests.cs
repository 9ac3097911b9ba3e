using System.Diagnostics;
using System.Net;
using CrmTenancy.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// A database that cannot be reached is a 503 problem with Retry-After on every path that needs it (the request's
/// own queries, the per-request token check, the token endpoint), answered within the connect timeout: never a 500.
/// </summary>
public sealed class DatabaseUnavailableTests(ApiFactory factory) : ApiTest(factory)
{
    /// <summary>Nothing listens on port 1: every connection is refused at once.</summary>
    private const string Nowhere = "Host=127.0.0.1;Port=1;Database=crm;Username=crm_app;Timeout=2;Pooling=false";

    [Fact]
    public async Task Every_request_that_needs_the_database_gets_503_with_retry_after_while_it_is_down()
    {
        var token = A.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var down = Factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:CrmApp", Nowhere);
            builder.UseSetting("ConnectionStrings:CrmPlatform", Nowhere);
        });
        using var client = down.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var requests = new (HttpMethod Method, string Url, HttpContent? Body)[]
        {
            (HttpMethod.Get, "/api/customers", null),
            (HttpMethod.Get, $"/api/customers/{Guid.CreateVersion7()}", null),
            (HttpMethod.Post, "/api/customers", new StringContent("{\"name\":\"Down\"}", System.Text.Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = TenantA.ClientId, ["client_secret"] = TenantA.ClientSecret,
            })),
        };
        foreach (var (method, url, body) in requests)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body };
            if (url.StartsWith("/connect", StringComparison.Ordinal))
                request.Headers.Authorization = null;
            var watch = Stopwatch.StartNew();
            using var response = await client.SendAsync(request);
            watch.Stop();

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("database-unavailable", await response.Content.ReadAsStringAsync());
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{method} {url}: no Retry-After");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{method} {url} took {watch.Elapsed}");
        }

        // The same host answers what needs no database as usual.
        using var anonymous = down.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }
}
