using System.Net;
using System.Text;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.Infrastructure.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrmTenancy.FunctionalTests.Api;

/// <summary>
/// A POST sent with an Idempotency-Key is safe to retry: the same key and request answer the first answer again with
/// one effect, concurrent duplicates included; another request under the key is a 409; keys are per tenant and caller
/// and last 24 hours; a failed request records nothing.
/// </summary>
public sealed class IdempotencyKeyTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task A_retried_create_answers_the_first_answer_and_creates_once()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(A, "/api/customers", """{"name":"Once only"}""", key);
        using var again = await PostAsync(A, "/api/customers", """{"name":"Once only"}""", key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal("application/json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync("/api/customers?search=once"));
    }

    [Fact]
    public async Task The_same_key_with_another_request_is_a_409_and_does_nothing()
    {
        var key = Guid.NewGuid().ToString();
        using (var first = await PostAsync(A, "/api/customers", """{"name":"First body"}""", key))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using (var otherBody = await PostAsync(A, "/api/customers", """{"name":"Second body"}""", key))
            await AssertProblemAsync(otherBody, HttpStatusCode.Conflict, "idempotency-key-reused");
        using (var otherPath = await PostAsync(A, "/api/contacts", """{"firstName":"First","lastName":"Body"}""", key))
            await AssertProblemAsync(otherPath, HttpStatusCode.Conflict, "idempotency-key-reused");

        Assert.Equal(0, await CountAsync("/api/customers?search=second"));
        Assert.Equal(0, await CountAsync("/api/contacts?search=body"));
    }

    [Fact]
    public async Task Concurrent_duplicates_have_one_effect_and_one_answer()
    {
        var key = Guid.NewGuid().ToString();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await PostAsync(A, "/api/customers", """{"name":"Raced create"}""", key);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal(1, await CountAsync("/api/customers?search=raced"));
        Assert.All(answers, answer => Assert.True(
            answer.StatusCode == HttpStatusCode.Created || (answer.StatusCode == HttpStatusCode.Conflict && answer.Body.Contains("idempotency-key-in-progress")),
            $"{(int)answer.StatusCode} {answer.Body}"));
        Assert.Single(answers.Where(a => a.StatusCode == HttpStatusCode.Created).Select(a => a.Body).Distinct());
    }

    [Fact]
    public async Task Keys_belong_to_their_tenant_and_caller()
    {
        var key = Guid.NewGuid().ToString();
        using (var a = await PostAsync(A, "/api/customers", """{"name":"Shared key"}""", key))
            Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        using (var b = await PostAsync(B, "/api/customers", """{"name":"Shared key"}""", key))
        {
            Assert.Equal(HttpStatusCode.Created, b.StatusCode);
            Assert.False(b.Headers.Contains("Idempotent-Replayed"));
        }
        var (_, member) = await UserAsync(TenantA, "keys@a.example");
        using (member)
        using (var asMember = await PostAsync(member, "/api/customers", """{"name":"Shared key"}""", key))
            Assert.False(asMember.Headers.Contains("Idempotent-Replayed"));

        Assert.Equal(2, await CountAsync("/api/customers?search=shared"));
        Assert.Equal(1, (await Json(await B.GetAsync("/api/customers?search=shared"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_failed_request_records_nothing_and_its_key_can_be_used_again()
    {
        var key = Guid.NewGuid().ToString();
        using (var invalid = await PostAsync(A, "/api/customers", """{"name":""}""", key))
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using (var missing = await PostAsync(A, $"/api/customers/{Guid.CreateVersion7()}/status", """{"status":"inactive"}""", key))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var valid = await PostAsync(A, "/api/customers", """{"name":"Fixed and sent again"}""", key);
        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
        Assert.False(valid.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task An_action_on_a_resource_is_replayed_not_repeated()
    {
        var id = (await CreateCustomerAsync(A, new { name = "Buyer once" })).GetProperty("id").GetString();
        var key = Guid.NewGuid().ToString();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var purchase = await PostAsync(A, $"/api/customers/{id}/purchases", """{"amount":10}""", key);
            Assert.Equal(HttpStatusCode.OK, purchase.StatusCode);
        }
        Assert.Equal(10m, (await Json(await A.GetAsync($"/api/customers/{id}"))).GetProperty("totalRevenue").GetDecimal());
    }

    [Fact]
    public async Task A_key_expires_after_24_hours()
    {
        var key = Guid.NewGuid().ToString();
        using (var first = await PostAsync(A, "/api/customers", """{"name":"Expiring key"}""", key))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await using (var db = Factory.Database.Owner())
        {
            Assert.Equal(1, await db.Database.ExecuteSqlAsync(
                $"UPDATE idempotency_records SET created_at = created_at - interval '25 hours', expires_at = expires_at - interval '25 hours' WHERE key = {key}"));
        }

        using (var later = await PostAsync(A, "/api/customers", """{"name":"Expiring key"}""", key))
        {
            Assert.Equal(HttpStatusCode.Created, later.StatusCode);
            Assert.False(later.Headers.Contains("Idempotent-Replayed"));
        }
        Assert.Equal(2, await CountAsync("/api/customers?search=expiring"));
    }

    [Fact]
    public async Task The_retention_job_deletes_expired_records_only()
    {
        var expired = Guid.NewGuid().ToString();
        var current = Guid.NewGuid().ToString();
        using (var first = await PostAsync(A, "/api/customers", """{"name":"Old key"}""", expired))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var second = await PostAsync(B, "/api/customers", """{"name":"New key"}""", current))
            Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        await using (var db = Factory.Database.Owner())
            await db.Database.ExecuteSqlAsync($"UPDATE idempotency_records SET expires_at = now() - interval '1 minute' WHERE key = {expired}");

        var retention = Factory.Services.GetServices<IHostedService>().OfType<IdempotencyRetentionService>().Single();
        Assert.Equal(1, await retention.DeleteExpiredAsync(CancellationToken.None));

        await using var check = Factory.Database.Owner();
        Assert.Equal([current], await check.Database.SqlQuery<string>($"SELECT key AS \"Value\" FROM idempotency_records").ToListAsync());
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("naïve")]
    public async Task A_malformed_key_is_a_400_and_does_nothing(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/customers") { Content = RawJson("""{"name":"Bad key"}""") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        using var response = await A.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "bad-idempotency-key");
        Assert.Equal(0, await CountAsync("/api/customers?search=bad"));
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_a_400()
    {
        using var response = await PostAsync(A, "/api/customers", """{"name":"Long key"}""", new string('k', 256));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "bad-idempotency-key");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private async Task<int> CountAsync(string url) => (await Json(await A.GetAsync(url))).GetProperty("totalCount").GetInt32();
}
