using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Analytics;

/// <summary>The tenant dashboard: the caller's tenant only, the records the caller may see only, the funnel by furthest stage.</summary>
public sealed class DashboardTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> LeadAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/api/leads", new { firstName = name, lastName = "Lead" });
        return (await Json(response)).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> DashboardAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/api/analytics/dashboard" + query);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int Count(JsonElement list, string key, string value) =>
        list.EnumerateArray().Single(e => e.GetProperty(key).GetString() == value).GetProperty("count").GetInt32();

    private static int Stage(JsonElement dashboard, string stage) =>
        dashboard.GetProperty("funnel").GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == stage).GetProperty("count").GetInt32();

    [Fact]
    public async Task The_dashboard_counts_the_tenants_customers_revenue_leads_funnel_and_activities_and_nothing_of_another_tenant()
    {
        var big = (await CreateCustomerAsync(A, new { name = "Big", source = "referral" })).GetProperty("id").GetString();
        var small = (await CreateCustomerAsync(A, new { name = "Small", source = "web" })).GetProperty("id").GetString();
        var gone = (await CreateCustomerAsync(A, new { name = "Gone", source = "web" })).GetProperty("id").GetString();
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{big}/purchases", new { amount = 1000m, on = "2026-11-01" }));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{small}/purchases", new { amount = 10.5m, on = "2026-11-01" }));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{gone}/status", new { status = "churned" }));

        await LeadAsync(A, "Fresh");
        var nurtured = await LeadAsync(A, "Nurtured");
        await OkAsync(A.PostAsJsonAsync($"/api/leads/{nurtured}/status", new { status = "nurturing" }));
        var lost = await LeadAsync(A, "Lost");
        await OkAsync(A.PostAsJsonAsync($"/api/leads/{lost}/status", new { status = "engaged" }));
        await OkAsync(A.PostAsJsonAsync($"/api/leads/{lost}/status", new { status = "lost", lostReason = "No budget" }));
        var won = await LeadAsync(A, "Won");
        await OkAsync(A.PostAsJsonAsync($"/api/leads/{won}/convert", new { }));

        // Tenant B: its own records, which A's dashboard must not count, and the other way round.
        await OkAsync(B.PostAsJsonAsync("/api/customers", new { name = "B's", source = "web" }));
        var bLead = await LeadAsync(B, "Bee");
        await OkAsync(B.PostAsJsonAsync($"/api/leads/{bLead}/convert", new { }));

        var a = await DashboardAsync(A);
        var customers = a.GetProperty("customers");
        Assert.Equal(4, customers.GetProperty("total").GetInt32()); // three, and the converted lead's
        Assert.Equal(1, Count(customers.GetProperty("byStatus"), "status", "churned"));
        Assert.Equal(1, Count(customers.GetProperty("bySource"), "source", "referral"));
        Assert.Equal(1010.5m, a.GetProperty("revenue").GetProperty("total").GetDecimal());
        Assert.Equal(["Big", "Small"], a.GetProperty("revenue").GetProperty("topCustomers").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var leads = a.GetProperty("leads");
        Assert.Equal(4, leads.GetProperty("total").GetInt32());
        Assert.Equal(1, Count(leads.GetProperty("byStatus"), "status", "lost"));
        Assert.Equal(0, Count(leads.GetProperty("byStatus"), "status", "qualified"));
        Assert.Equal((4, 3, 2, 1), (Stage(a, "captured"), Stage(a, "nurturing"), Stage(a, "engaged"), Stage(a, "converted")));
        var converted = a.GetProperty("funnel").GetProperty("stages")[3];
        Assert.Equal(0.25, converted.GetProperty("rateFromCaptured").GetDouble());
        Assert.Equal(0.5, converted.GetProperty("rateFromPrevious").GetDouble());
        Assert.Equal(4, a.GetProperty("leadsCapturedPerWeek").EnumerateArray().Sum(w => w.GetProperty("count").GetInt32()));
        var days = a.GetProperty("activitiesPerDay").EnumerateArray().ToList();
        Assert.True(days.Count is 30 or 31, $"{days.Count} days");
        // 3 customers created, 2 purchases, 1 status; 4 leads created, 1 + 2 moves, 1 conversion; the conversion's new
        // customer and contact created: 16.
        Assert.Equal(16, days.Sum(d => d.GetProperty("count").GetInt32()));

        var b = await DashboardAsync(B);
        Assert.Equal(2, b.GetProperty("customers").GetProperty("total").GetInt32());
        Assert.Equal(0m, b.GetProperty("revenue").GetProperty("total").GetDecimal());
        Assert.Equal(1, b.GetProperty("leads").GetProperty("total").GetInt32());
        Assert.Equal((1, 1), (Stage(b, "captured"), Stage(b, "converted")));
    }

    [Fact]
    public async Task The_range_bounds_the_funnel_the_weeks_and_the_days()
    {
        await LeadAsync(A, "Today");
        var past = await DashboardAsync(A, "?from=2026-01-05T00:00:00Z&to=2026-01-19T00:00:00Z");

        Assert.Equal(0, Stage(past, "captured"));
        Assert.Null(past.GetProperty("funnel").GetProperty("stages")[1].GetProperty("rateFromCaptured").GetString());
        Assert.Equal(["2026-01-05", "2026-01-12"], past.GetProperty("leadsCapturedPerWeek").EnumerateArray().Select(w => w.GetProperty("weekStart").GetString()));
        Assert.Equal(14, past.GetProperty("activitiesPerDay").GetArrayLength());
        Assert.Equal(1, past.GetProperty("leads").GetProperty("total").GetInt32()); // the state now, whatever the range
    }

    [Fact]
    public async Task Under_owner_only_a_member_counts_only_the_records_they_may_see()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, asM1) = await UserAsync(TenantA, "m1@a.example");
        var (_, asM2) = await UserAsync(TenantA, "m2@a.example");
        var mine = (await CreateCustomerAsync(asM1, new { name = "Mine", source = "web" })).GetProperty("id").GetString();
        await OkAsync(asM1.PostAsJsonAsync($"/api/customers/{mine}/purchases", new { amount = 50m, on = "2026-11-01" }));
        await LeadAsync(asM1, "Mine");
        await CreateCustomerAsync(asM2, new { name = "Theirs", source = "web" });
        await OkAsync(admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }));

        var m2 = await DashboardAsync(asM2);
        Assert.Equal(1, m2.GetProperty("customers").GetProperty("total").GetInt32());
        Assert.Equal(0m, m2.GetProperty("revenue").GetProperty("total").GetDecimal());
        Assert.Equal(0, m2.GetProperty("revenue").GetProperty("topCustomers").GetArrayLength());
        Assert.Equal(0, m2.GetProperty("leads").GetProperty("total").GetInt32());
        Assert.Equal(1, m2.GetProperty("activitiesPerDay").EnumerateArray().Sum(d => d.GetProperty("count").GetInt32()));
        var all = await DashboardAsync(admin);
        Assert.Equal(2, all.GetProperty("customers").GetProperty("total").GetInt32());
        Assert.Equal(50m, all.GetProperty("revenue").GetProperty("total").GetDecimal());
        admin.Dispose();
        asM1.Dispose();
        asM2.Dispose();
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("?to=0001-01-10T00:00:00Z", "to")]
    [InlineData("?from=9999-12-20T00:00:00Z", "from")]
    [InlineData("?from=9999-12-28T00:00:00Z&to=9999-12-29T00:00:00Z", "from")]
    public async Task A_range_outside_the_contract_is_a_400_naming_it(string query, string field)
    {
        using var response = await A.GetAsync("/api/analytics/dashboard" + query);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
    }
}
