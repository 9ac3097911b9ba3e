using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Customers;

/// <summary>Customer recommendations over HTTP: the rules on real data, the tenant's thresholds, isolation and visibility.</summary>
public sealed class RecommendationTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<string[]> CodesAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/customers/{id}/recommendations");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.EnumerateArray().Select(r => r.GetProperty("code").GetString()!).ToArray();
    }

    private static async Task OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task The_rules_speak_from_the_customers_data_and_another_tenants_records_never_count()
    {
        // Inactive with a recent purchase, the top revenue and nobody assigned (an integration created it), no primary
        // contact, and an open lead with its email.
        var top = (await CreateCustomerAsync(A, new { name = "Top", email = "buyer@top.example", source = "web" })).GetProperty("id").GetString()!;
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{top}/purchases", new { amount = 900m, on = DateTime.UtcNow.AddDays(-10).ToString("yyyy-MM-dd") }));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{top}/status", new { status = "inactive" }));
        using (var lead = await A.PostAsJsonAsync("/api/leads", new { firstName = "Buyer", lastName = "Top", email = "BUYER@top.example" }))
            Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
        for (var i = 0; i < 9; i++)
            await CreateCustomerAsync(A, new { name = $"Other {i}", source = "web" });
        // Tenant B: far more revenue, which must not push A's customer out of A's top 10%.
        for (var i = 0; i < 3; i++)
        {
            var rich = (await CreateCustomerAsync(B, new { name = $"Rich {i}", source = "web" })).GetProperty("id").GetString();
            await OkAsync(B.PostAsJsonAsync($"/api/customers/{rich}/purchases", new { amount = 100000m, on = "2026-11-01" }));
        }

        Assert.Equal(["add-primary-contact", "assign-owner", "check-in", "convert-open-lead"], await CodesAsync(A, top));

        var contact = await CreateContactAsync(A, new { firstName = "Pat", lastName = "Primary", customerId = top });
        await OkAsync(A.PostAsync($"/api/contacts/{contact.GetProperty("id").GetString()}/primary", null));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{top}/status", new { status = "churned" }));
        Assert.Equal(["assign-owner", "convert-open-lead", "win-back"], await CodesAsync(A, top));
    }

    [Fact]
    public async Task The_tenants_thresholds_change_what_is_recommended_and_bad_thresholds_are_400s()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var quiet = (await CreateCustomerAsync(A, new { name = "Quiet", source = "web" })).GetProperty("id").GetString()!;
        Assert.DoesNotContain("follow-up", await CodesAsync(A, quiet));

        using (var bad = await admin.PutAsJsonAsync("/api/tenant/settings/recommendations", new { followUpAfterDays = 0, topRevenuePercent = 10, checkInWithinDays = 90 }))
            await AssertProblemAsync(bad, HttpStatusCode.BadRequest, field: "followUpAfterDays");
        using (var missing = await admin.PutAsJsonAsync("/api/tenant/settings/recommendations", new { followUpAfterDays = 5 }))
            await AssertProblemAsync(missing, HttpStatusCode.BadRequest, field: "topRevenuePercent");
        using (var byClient = await A.PutAsJsonAsync("/api/tenant/settings/recommendations", new { followUpAfterDays = 1, topRevenuePercent = 10, checkInWithinDays = 90 }))
            Assert.Equal(HttpStatusCode.Forbidden, byClient.StatusCode);

        // Backdate the customer's only activity, then a day's threshold makes it due.
        await using (var db = Factory.Database.Owner())
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database,
                "UPDATE activities SET occurred_at = now() - interval '3 days' WHERE record_id = {0}", Guid.Parse(quiet));
        using (var changed = await admin.PutAsJsonAsync("/api/tenant/settings/recommendations", new { followUpAfterDays = 2, topRevenuePercent = 10, checkInWithinDays = 90 }))
        {
            var settings = await Json(changed);
            Assert.Equal(2, settings.GetProperty("recommendations").GetProperty("followUpAfterDays").GetInt32());
        }
        Assert.Contains("follow-up", await CodesAsync(A, quiet));
        admin.Dispose();
    }

    [Fact]
    public async Task Another_tenant_and_a_member_who_may_not_see_the_customer_get_404()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, asM1) = await UserAsync(TenantA, "m1@a.example");
        var (_, asM2) = await UserAsync(TenantA, "m2@a.example");
        var mine = (await CreateCustomerAsync(asM1, new { name = "Mine", source = "web" })).GetProperty("id").GetString();
        await OkAsync(admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }));

        using (var foreign = await B.GetAsync($"/api/customers/{mine}/recommendations"))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "not-found");
        using (var hidden = await asM2.GetAsync($"/api/customers/{mine}/recommendations"))
            await AssertProblemAsync(hidden, HttpStatusCode.NotFound, "not-found");
        Assert.Contains("add-primary-contact", await CodesAsync(asM1, mine!));
        admin.Dispose();
        asM1.Dispose();
        asM2.Dispose();
    }
}
