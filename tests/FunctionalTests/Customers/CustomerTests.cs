using System.Net;
using System.Net.Http.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Customers;

public sealed class CustomerTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Create_then_get_returns_the_customer_with_its_etag()
    {
        var created = await CreateCustomerAsync(A, new
        {
            name = "  Wayne Enterprises ", email = "ops@wayne.example", companyName = "Wayne Ltd", industry = "Defence",
            companySize = "enterprise", website = "https://wayne.example", source = "referral", tags = new[] { "VIP  Client", "vip client" },
        });
        var id = created.GetProperty("id").GetString();

        using var response = await A.GetAsync($"/api/customers/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"\"{created.GetProperty("version").GetInt32()}\"", response.Headers.ETag!.Tag);
        var customer = await Json(response);
        Assert.Equal("Wayne Enterprises", customer.GetProperty("name").GetString());
        Assert.Equal("active", customer.GetProperty("status").GetString());
        Assert.Equal("referral", customer.GetProperty("source").GetString());
        Assert.Equal("enterprise", customer.GetProperty("companySize").GetString());
        Assert.Equal(["vip-client"], customer.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal($"client:{TenantA.ClientId}", customer.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task Update_changes_fields_and_a_stale_if_match_gets_412_and_changes_nothing()
    {
        var created = await CreateCustomerAsync(A, new { name = "Initech" });
        var id = created.GetProperty("id").GetString();
        var etag = $"\"{created.GetProperty("version").GetInt32()}\"";

        using var update = await A.SendAsync(Request(HttpMethod.Put, $"/api/customers/{id}",
            new { name = "Initech Corp", email = "hello@initech.example", source = "web" }, etag));
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var updated = await Json(update);
        Assert.Equal("Initech Corp", updated.GetProperty("name").GetString());
        Assert.NotEqual(etag, update.Headers.ETag!.Tag);
        Assert.Equal($"client:{TenantA.ClientId}", updated.GetProperty("updatedBy").GetString());

        using var stale = await A.SendAsync(Request(HttpMethod.Put, $"/api/customers/{id}", new { name = "Lost update", source = "web" }, etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);

        var current = await Json(await A.GetAsync($"/api/customers/{id}"));
        Assert.Equal("Initech Corp", current.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Status_follows_the_allowed_transitions()
    {
        var id = (await CreateCustomerAsync(A, new { name = "Globo Gym" })).GetProperty("id").GetString();

        using var inactive = await A.PostAsJsonAsync($"/api/customers/{id}/status", new { status = "inactive" });
        Assert.Equal(HttpStatusCode.OK, inactive.StatusCode);
        using var churned = await A.PostAsJsonAsync($"/api/customers/{id}/status", new { status = "churned" });
        Assert.Equal(HttpStatusCode.OK, churned.StatusCode);
        using var refused = await A.PostAsJsonAsync($"/api/customers/{id}/status", new { status = "inactive" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.EndsWith("customer-status-transition", (await Json(refused)).GetProperty("type").GetString());
        Assert.Equal("churned", (await Json(await A.GetAsync($"/api/customers/{id}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Tags_assignment_and_purchases_change_the_customer()
    {
        var id = (await CreateCustomerAsync(A, new { name = "Vandelay Industries" })).GetProperty("id").GetString();
        // The assignee must be an active user of the tenant.
        var assignee = (await Factory.AddUserAsync(TenantA, "rep@a.example")).Id;

        using var tags = await A.PostAsJsonAsync($"/api/customers/{id}/tags", new { tags = new[] { "Import", "export", "IMPORT" } });
        Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
        using var removed = await A.DeleteAsync($"/api/customers/{id}/tags/EXPORT");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        using var assigned = await A.PutAsJsonAsync($"/api/customers/{id}/assignee", new { assigneeId = assignee });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        using var first = await A.PostAsJsonAsync($"/api/customers/{id}/purchases", new { amount = 120.50m, on = "2026-01-10" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await A.PostAsJsonAsync($"/api/customers/{id}/purchases", new { amount = 79.50m, on = "2025-12-01" });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        var customer = await Json(await A.GetAsync($"/api/customers/{id}"));
        Assert.Equal(["import"], customer.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(assignee, customer.GetProperty("assigneeId").GetGuid());
        Assert.Equal(200.00m, customer.GetProperty("totalRevenue").GetDecimal());
        Assert.Equal("2026-01-10", customer.GetProperty("lastPurchaseDate").GetString());
    }

    [Fact]
    public async Task Assigning_to_anyone_but_an_active_user_of_the_tenant_gets_400_naming_assigneeId_and_changes_nothing()
    {
        var rep = await Factory.AddUserAsync(TenantA, "rep@a.example");
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        using var adminClient = admin;
        var gone = await Factory.AddUserAsync(TenantA, "gone@a.example");
        using (var deactivate = await admin.PostAsync($"/api/team/users/{gone.Id}/deactivate", null))
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        var userOfB = await Factory.AddUserAsync(TenantB, "rep@b.example");

        var id = (await CreateCustomerAsync(A, new { name = "Kramerica" })).GetProperty("id").GetString();
        using (var assigned = await A.PutAsJsonAsync($"/api/customers/{id}/assignee", new { assigneeId = rep.Id }))
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var before = await Json(await A.GetAsync($"/api/customers/{id}"));
        Assert.Equal(rep.Id, before.GetProperty("assigneeId").GetGuid());

        foreach (var (label, assignee) in new[] { ("B's user", userOfB.Id), ("unknown", Guid.CreateVersion7()), ("deactivated", gone.Id) })
        {
            using var response = await A.PutAsJsonAsync($"/api/customers/{id}/assignee", new { assigneeId = assignee });
            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation", "assigneeId");
            // The three answer alike: no way to learn whether an id is another tenant's user.
            Assert.True(problem.GetProperty("detail").GetString() == "assigneeId: The assignee is not an active user of this tenant.", label);
        }
        // Wrong type and the empty id are bad input as well.
        using (var notAGuid = await A.PutAsync($"/api/customers/{id}/assignee", RawJson("""{"assigneeId":"nobody"}""")))
            await AssertProblemAsync(notAGuid, HttpStatusCode.BadRequest, field: "assigneeId");
        using (var empty = await A.PutAsync($"/api/customers/{id}/assignee", RawJson("""{"assigneeId":"00000000-0000-0000-0000-000000000000"}""")))
            await AssertProblemAsync(empty, HttpStatusCode.BadRequest, field: "assigneeId");

        var after = await Json(await A.GetAsync($"/api/customers/{id}"));
        Assert.Equal(before.GetRawText(), after.GetRawText());

        // Unassigning (null) is allowed.
        using var unassigned = await A.PutAsJsonAsync($"/api/customers/{id}/assignee", new { assigneeId = (Guid?)null });
        Assert.Equal(HttpStatusCode.OK, unassigned.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await Json(unassigned)).GetProperty("assigneeId").ValueKind);
    }

    [Fact]
    public async Task A_search_says_whether_more_follow_and_has_a_total_only_on_the_page_where_its_matches_end()
    {
        foreach (var name in new[] { "Harbour One", "Harbour Two", "Harbour Three", "Inland" })
            await CreateCustomerAsync(A, new { name });
        await CreateCustomerAsync(B, new { name = "Harbour Foreign" });

        var first = await Json(await A.GetAsync("/api/customers?search=harbour&pageSize=2"));
        Assert.Equal(["Harbour One", "Harbour Three"], Names(first));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("totalCount").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("totalPages").ValueKind);

        var last = await Json(await A.GetAsync("/api/customers?search=harbour&pageSize=2&page=2"));
        Assert.Equal(["Harbour Two"], Names(last));
        Assert.False(last.GetProperty("hasMore").GetBoolean());
        Assert.Equal(3, last.GetProperty("totalCount").GetInt32());

        // A plain list is counted whatever its page.
        var plain = await Json(await A.GetAsync("/api/customers?pageSize=2"));
        Assert.Equal((4, true), (plain.GetProperty("totalCount").GetInt32(), plain.GetProperty("hasMore").GetBoolean()));
    }

    [Fact]
    public async Task List_filters_searches_sorts_and_pages_with_a_total_count()
    {
        await CreateCustomerAsync(A, new { name = "Alpha Foods", source = "web", tags = new[] { "food" } });
        var beta = await CreateCustomerAsync(A, new { name = "Beta Motors", companyName = "Beta Holding", source = "referral" });
        await CreateCustomerAsync(A, new { name = "Gamma Labs", email = "lab@gamma.example", source = "web", tags = new[] { "science" } });
        await CreateContactAsync(A, new { firstName = "Zed", lastName = "Quartermaine", customerId = beta.GetProperty("id").GetString() });

        var page = await Json(await A.GetAsync("/api/customers?pageSize=2&page=1"));
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(["Alpha Foods", "Beta Motors"], Names(page));
        var second = await Json(await A.GetAsync("/api/customers?pageSize=2&page=2"));
        Assert.Equal(["Gamma Labs"], Names(second));

        Assert.Equal(["Alpha Foods", "Gamma Labs"], Names(await Json(await A.GetAsync("/api/customers?source=web"))));
        Assert.Equal(["Gamma Labs"], Names(await Json(await A.GetAsync("/api/customers?tag=Science"))));
        Assert.Equal(["Gamma Labs"], Names(await Json(await A.GetAsync("/api/customers?search=GAMMA.ex"))));
        Assert.Equal(["Beta Motors"], Names(await Json(await A.GetAsync("/api/customers?search=holding"))));
        Assert.Equal(["Beta Motors"], Names(await Json(await A.GetAsync("/api/customers?search=quarter"))));
        Assert.Empty(Names(await Json(await A.GetAsync("/api/customers?search=%25"))));
        Assert.Equal(["Gamma Labs", "Beta Motors", "Alpha Foods"], Names(await Json(await A.GetAsync("/api/customers?sort=name&direction=desc"))));

        // The recent view: the customer changed last comes first.
        var alphaId = Names(page).Count > 0 ? page.GetProperty("items")[0].GetProperty("id").GetString() : null;
        using var touch = await A.PostAsJsonAsync($"/api/customers/{alphaId}/tags", new { tags = new[] { "touched" } });
        Assert.Equal(HttpStatusCode.OK, touch.StatusCode);
        Assert.Equal("Alpha Foods", Names(await Json(await A.GetAsync("/api/customers?sort=updated&direction=desc")))[0]);
    }

    [Fact]
    public async Task Delete_removes_the_customer_and_unlinks_its_contacts()
    {
        var customer = await CreateCustomerAsync(A, new { name = "Soylent" });
        var id = customer.GetProperty("id").GetString();
        var contact = await CreateContactAsync(A, new { firstName = "Ada", lastName = "Byron", customerId = id });
        using var primary = await A.PostAsync($"/api/contacts/{contact.GetProperty("id").GetString()}/primary", null);
        Assert.Equal(HttpStatusCode.OK, primary.StatusCode);

        using var deleted = await A.DeleteAsync($"/api/customers/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await A.GetAsync($"/api/customers/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        var kept = await Json(await A.GetAsync($"/api/contacts/{contact.GetProperty("id").GetString()}"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, kept.GetProperty("customerId").ValueKind);
        Assert.False(kept.GetProperty("isPrimary").GetBoolean());
    }

    private static List<string?> Names(System.Text.Json.JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
}
