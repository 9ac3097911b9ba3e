using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CrmTenancy.FunctionalTests.Plans;

/// <summary>
/// Plans as data, their limits enforced by the database in the writing transaction (docs/decisions/0027), the usage
/// the tenant reads, and the operators' plan change.
/// </summary>
public sealed class PlanLimitTests(ApiFactory factory) : ApiTest(factory)
{
    private static object Template(string name) => new { name, subject = "Hello", htmlBody = "<p>Hello</p>", textBody = "Hello" };

    private async Task<JsonElement> ChangePlanAsync(HttpClient platform, Guid tenantId, string plan)
    {
        using var response = await platform.PutAsJsonAsync($"/api/platform/tenants/{tenantId}/plan", new { plan });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    private static async Task<HttpStatusCode> CreateTemplateAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/api/email-templates", Template(name));
        return response.StatusCode;
    }

    private static JsonElement Limit(JsonElement usage, string resource) =>
        usage.GetProperty("limits").EnumerateArray().Single(l => l.GetProperty("resource").GetString() == resource);

    [Fact]
    public async Task The_plans_are_listed_smallest_first_each_with_every_limit()
    {
        var plansJson = await Json(await A.GetAsync("/api/plans"));
        var plans = plansJson.EnumerateArray().ToList();

        Assert.Equal(["free", "basic", "professional", "enterprise"], plans.Select(p => p.GetProperty("code").GetString()));
        foreach (var plan in plans)
            Assert.Equal(10, plan.GetProperty("limits").GetArrayLength());
        var free = plans[0].GetProperty("limits").EnumerateArray().ToDictionary(l => l.GetProperty("resource").GetString()!);
        Assert.Equal(5, free["emailTemplates"].GetProperty("limit").GetInt32());
        Assert.True(free["callsPerMonth"].GetProperty("monthly").GetBoolean());
        Assert.Equal(JsonValueKind.Null, plans[3].GetProperty("limits")[0].GetProperty("limit").ValueKind);
    }

    [Fact]
    public async Task A_create_past_the_limit_is_a_403_naming_limit_plan_and_usage_and_writes_nothing_and_a_delete_frees_the_slot()
    {
        using var platform = await PlatformOperatorAsync();
        await ChangePlanAsync(platform, TenantA.Id, "free");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var created = await A.PostAsJsonAsync("/api/email-templates", Template($"Template {i}"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((await Json(created)).GetProperty("id").GetString()!);
        }

        foreach (var accept in new[] { "application/json", "text/html", "application/xml" })
        {
            using var request = Request(HttpMethod.Post, "/api/email-templates", Template("One too many"));
            request.Headers.Accept.ParseAdd(accept);
            using var refused = await A.SendAsync(request);
            var problem = await AssertProblemAsync(refused, HttpStatusCode.Forbidden, "plan-limit");
            Assert.Equal("emailTemplates", problem.GetProperty("limit").GetString());
            Assert.Equal("free", problem.GetProperty("plan").GetString());
            Assert.Equal(5, problem.GetProperty("maximum").GetInt32());
            Assert.Equal(5, problem.GetProperty("usage").GetInt32());
            Assert.Contains("email templates", problem.GetProperty("detail").GetString());
        }
        var list = await Json(await A.GetAsync("/api/email-templates"));
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("name").GetString() == "One too many");
        Assert.Equal(5, Limit(await Json(await A.GetAsync("/api/tenant/usage")), "emailTemplates").GetProperty("used").GetInt32());

        // Tenant B, on its own plan, is not touched by A's limit.
        Assert.Equal(HttpStatusCode.Created, await CreateTemplateAsync(B, "B's sixth"));

        using (var deleted = await A.DeleteAsync($"/api/email-templates/{ids[0]}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, await CreateTemplateAsync(A, "In the freed slot"));
    }

    [Fact]
    public async Task Fifty_parallel_creates_for_the_last_slot_give_exactly_one_success()
    {
        using var platform = await PlatformOperatorAsync();
        await ChangePlanAsync(platform, TenantA.Id, "free");
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Created, await CreateTemplateAsync(A, $"Existing {i}"));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => CreateTemplateAsync(A, $"Racer {i}")));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(49, statuses.Count(s => s == HttpStatusCode.Forbidden));
        await using var db = Factory.Database.Owner();
        Assert.Equal(5, await db.Set<Domain.EmailTemplates.EmailTemplate>().IgnoreQueryFilters().CountAsync(t => t.TenantId == TenantA.Id));
        Assert.Equal(5, Limit(await Json(await A.GetAsync("/api/tenant/usage")), "emailTemplates").GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task Usage_never_drifts_from_the_real_counts_after_a_mixed_run_of_creates_and_deletes()
    {
        var customers = new List<string>();
        var leads = new List<string>();
        await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            var customer = await CreateCustomerAsync(A, new { name = $"Customer {i}" });
            lock (customers)
                customers.Add(customer.GetProperty("id").GetString()!);
            await CreateContactAsync(A, new { firstName = "Con", lastName = $"Tact {i}", customerId = customer.GetProperty("id").GetString() });
            using var lead = await A.PostAsJsonAsync("/api/leads", new { firstName = "Lea", lastName = $"D {i}", email = $"lead{i}@a.example" });
            Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
            var leadId = (await Json(lead)).GetProperty("id").GetString()!;
            lock (leads)
                leads.Add(leadId);
        }));
        await CreateCustomerAsync(B, new { name = "B's only customer" });
        // Deletes of every third, in parallel with more creates.
        await Task.WhenAll(
            customers.Where((_, i) => i % 3 == 0).Select(async id => { using var r = await A.DeleteAsync($"/api/customers/{id}"); Assert.Equal(HttpStatusCode.NoContent, r.StatusCode); })
                .Concat(leads.Where((_, i) => i % 3 == 0).Select(async id => { using var r = await A.DeleteAsync($"/api/leads/{id}"); Assert.Equal(HttpStatusCode.NoContent, r.StatusCode); }))
                .Concat(Enumerable.Range(0, 6).Select(async i => await CreateContactAsync(A, new { firstName = "Late", lastName = $"Comer {i}" }))));

        var usage = await Json(await A.GetAsync("/api/tenant/usage"));
        await using var db = Factory.Database.Owner();
        Assert.Equal(await db.Customers.IgnoreQueryFilters().CountAsync(c => c.TenantId == TenantA.Id), Limit(usage, "customers").GetProperty("used").GetInt32());
        Assert.Equal(await db.Contacts.IgnoreQueryFilters().CountAsync(c => c.TenantId == TenantA.Id), Limit(usage, "contacts").GetProperty("used").GetInt32());
        Assert.Equal(await db.Set<Domain.Leads.Lead>().IgnoreQueryFilters().CountAsync(l => l.TenantId == TenantA.Id), Limit(usage, "leads").GetProperty("used").GetInt32());
        Assert.Equal(16, Limit(usage, "customers").GetProperty("used").GetInt32());
        Assert.Equal(16, Limit(usage, "leads").GetProperty("used").GetInt32());
        Assert.Equal("enterprise", usage.GetProperty("plan").GetString());
        Assert.Equal(1, Limit(await Json(await B.GetAsync("/api/tenant/usage")), "customers").GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task A_downgrade_below_usage_keeps_everything_and_blocks_creates_of_that_kind_until_under_the_limit()
    {
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var created = await A.PostAsJsonAsync("/api/email-templates", Template($"Kept {i}"));
            ids.Add((await Json(created)).GetProperty("id").GetString()!);
        }
        using var platform = await PlatformOperatorAsync();
        var state = await ChangePlanAsync(platform, TenantA.Id, "free");
        Assert.Equal("free", state.GetProperty("plan").GetString());

        Assert.Equal(6, (await Json(await A.GetAsync("/api/email-templates"))).GetProperty("items").GetArrayLength());
        var usage = Limit(await Json(await A.GetAsync("/api/tenant/usage")), "emailTemplates");
        Assert.Equal((6, 5, true), (usage.GetProperty("used").GetInt32(), usage.GetProperty("limit").GetInt32(), usage.GetProperty("reached").GetBoolean()));
        Assert.Equal(HttpStatusCode.Forbidden, await CreateTemplateAsync(A, "Refused"));
        // Other kinds under their limit are not blocked.
        await CreateCustomerAsync(A, new { name = "Still welcome" });

        (await A.DeleteAsync($"/api/email-templates/{ids[0]}")).Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, await CreateTemplateAsync(A, "At the limit"));
        (await A.DeleteAsync($"/api/email-templates/{ids[1]}")).Dispose();
        Assert.Equal(HttpStatusCode.Created, await CreateTemplateAsync(A, "Under it again"));
    }

    [Fact]
    public async Task A_reactivated_user_takes_an_active_user_slot_and_is_refused_past_the_limit()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var disposeAdmin = admin;
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        await Factory.AddUserAsync(TenantA, "third@a.example");
        using (var deactivated = await admin.PostAsync($"/api/team/users/{member.Id}/deactivate", null))
            Assert.True(deactivated.IsSuccessStatusCode, $"deactivate answered {(int)deactivated.StatusCode}");
        await Factory.AddUserAsync(TenantA, "fourth@a.example");
        using var platform = await PlatformOperatorAsync();
        await ChangePlanAsync(platform, TenantA.Id, "free");

        using var reactivated = await admin.PostAsync($"/api/team/users/{member.Id}/reactivate", null);

        var problem = await AssertProblemAsync(reactivated, HttpStatusCode.Forbidden, "plan-limit");
        Assert.Equal(("activeUsers", 3), (problem.GetProperty("limit").GetString(), problem.GetProperty("usage").GetInt32()));
        Assert.Equal(3, Limit(await Json(await admin.GetAsync("/api/tenant/usage")), "activeUsers").GetProperty("used").GetInt32());
    }

    [Fact]
    public async Task Sign_up_starts_on_free()
    {
        using var anonymous = Anonymous();
        using var response = await anonymous.PostAsJsonAsync("/api/signup",
            new { organisationName = "Newco", slug = "newco", email = "founder@newco.example", displayName = "Founder", password = "a long enough passphrase" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var signedUp = await Json(response);
        var admin = new TestUser(signedUp.GetProperty("userId").GetGuid(), signedUp.GetProperty("tenantId").GetGuid(), "newco",
            "founder@newco.example", "a long enough passphrase", UserRole.TenantAdmin);
        using var api = await Factory.ClientForAsync(admin);

        var usage = await Json(await api.GetAsync("/api/tenant/usage"));

        Assert.Equal(("free", "Free"), (usage.GetProperty("plan").GetString(), usage.GetProperty("planName").GetString()));
        Assert.Equal((1, 3), (Limit(usage, "activeUsers").GetProperty("used").GetInt32(), Limit(usage, "activeUsers").GetProperty("limit").GetInt32()));
        Assert.Equal(0, Limit(usage, "customers").GetProperty("used").GetInt32());
        Assert.Matches(@"^\d{4}-\d{2}$", Limit(usage, "callsPerMonth").GetProperty("period").GetString()!);
    }

    [Fact]
    public async Task Only_operators_change_a_plan_the_change_is_audited_and_bad_input_is_refused()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var disposeAdmin = admin;
        using (var tenantCaller = await admin.PutAsJsonAsync($"/api/platform/tenants/{TenantA.Id}/plan", new { plan = "enterprise" }))
            Assert.Equal(HttpStatusCode.Forbidden, tenantCaller.StatusCode);

        using var platform = await PlatformOperatorAsync();
        using (var unknownPlan = await platform.PutAsJsonAsync($"/api/platform/tenants/{TenantA.Id}/plan", new { plan = "platinum" }))
            await AssertProblemAsync(unknownPlan, HttpStatusCode.BadRequest, field: "plan");
        using (var missing = await platform.PutAsJsonAsync($"/api/platform/tenants/{TenantA.Id}/plan", new { }))
            await AssertProblemAsync(missing, HttpStatusCode.BadRequest, field: "plan");
        using (var unknownField = await platform.PutAsync($"/api/platform/tenants/{TenantA.Id}/plan", RawJson("""{"plan":"basic","price":0}""")))
            await AssertProblemAsync(unknownField, HttpStatusCode.BadRequest);
        using (var unknownTenant = await platform.PutAsJsonAsync($"/api/platform/tenants/{Guid.NewGuid()}/plan", new { plan = "basic" }))
            await AssertProblemAsync(unknownTenant, HttpStatusCode.NotFound);
        Assert.Equal("enterprise", (await Json(await A.GetAsync("/api/tenant/usage"))).GetProperty("plan").GetString());

        await ChangePlanAsync(platform, TenantA.Id, "basic");

        Assert.Equal("basic", (await Json(await A.GetAsync("/api/tenant/usage"))).GetProperty("plan").GetString());
        Assert.Equal("enterprise", (await Json(await B.GetAsync("/api/tenant/usage"))).GetProperty("plan").GetString());
        var trail = await Json(await admin.GetAsync("/api/platform-access"));
        var record = trail.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("action").GetString() == "tenant.change-plan");
        Assert.Equal("plan=basic", record.GetProperty("details").GetString());
        var trailB = await Json(await (await UserAsync(TenantB, "admin@b.example", UserRole.TenantAdmin)).Client.GetAsync("/api/platform-access"));
        Assert.DoesNotContain(trailB.GetProperty("items").EnumerateArray(), r => r.GetProperty("action").GetString() == "tenant.change-plan");
    }
}
