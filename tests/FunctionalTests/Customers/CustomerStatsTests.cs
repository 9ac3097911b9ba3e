using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Customers;

public sealed class CustomerStatsTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Stats_count_the_tenants_customers_by_status_and_source_and_never_another_tenants()
    {
        await CreateCustomerAsync(A, new { name = "One", source = "web" });
        await CreateCustomerAsync(A, new { name = "Two", source = "web" });
        var churned = (await CreateCustomerAsync(A, new { name = "Three", source = "referral" })).GetProperty("id").GetString();
        using (var status = await A.PostAsJsonAsync($"/api/customers/{churned}/status", new { status = "churned" }))
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        await CreateCustomerAsync(B, new { name = "B's", source = "web" });

        var stats = await Json(await A.GetAsync("/api/customers/stats"));

        Assert.Equal(3, stats.GetProperty("total").GetInt32());
        var byStatus = stats.GetProperty("byStatus").EnumerateArray().ToDictionary(e => e.GetProperty("status").GetString()!, e => e.GetProperty("count").GetInt32());
        var bySource = stats.GetProperty("bySource").EnumerateArray().ToDictionary(e => e.GetProperty("source").GetString()!, e => e.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["active"] = 2, ["inactive"] = 0, ["churned"] = 1 }, byStatus);
        Assert.Equal(new Dictionary<string, int> { ["direct"] = 0, ["referral"] = 1, ["web"] = 2, ["campaign"] = 0, ["other"] = 0 }, bySource);
        Assert.Equal(1, (await Json(await B.GetAsync("/api/customers/stats"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Under_owner_only_a_member_counts_only_the_customers_they_may_see()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, asM1) = await UserAsync(TenantA, "m1@a.example");
        var (_, asM2) = await UserAsync(TenantA, "m2@a.example");
        await CreateCustomerAsync(asM1, new { name = "M1's" });
        await CreateCustomerAsync(asM2, new { name = "M2's" });
        await CreateCustomerAsync(asM2, new { name = "M2's second" });
        using (var visibility = await admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
            Assert.Equal(HttpStatusCode.OK, visibility.StatusCode);

        Assert.Equal(1, (await Json(await asM1.GetAsync("/api/customers/stats"))).GetProperty("total").GetInt32());
        Assert.Equal(2, (await Json(await asM2.GetAsync("/api/customers/stats"))).GetProperty("total").GetInt32());
        Assert.Equal(3, (await Json(await admin.GetAsync("/api/customers/stats"))).GetProperty("total").GetInt32());
        admin.Dispose();
        asM1.Dispose();
        asM2.Dispose();
    }
}
