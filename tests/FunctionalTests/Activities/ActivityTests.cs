using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Activities;

/// <summary>
/// The activity timeline: every change of a customer, contact or lead is an entry written in its own transaction, by
/// whom and when; nothing for a refused or rolled-back change; kept after a delete; visible as the record is.
/// </summary>
public sealed class ActivityTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task<JsonElement> ItemsAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("items").Clone();
    }

    private static string[] Actions(JsonElement items) => items.EnumerateArray().Select(a => a.GetProperty("action").GetString()!).ToArray();

    private static async Task OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Every_change_of_a_customer_is_an_entry_of_its_timeline_newest_first_with_who_what_and_the_changed_fields()
    {
        var customer = await CreateCustomerAsync(A, new { name = "Acme", email = "hello@acme.example", source = "web" });
        var id = customer.GetProperty("id").GetString();
        var member = await Factory.AddUserAsync(TenantA, "member@a.example");
        await OkAsync(A.PutAsJsonAsync($"/api/customers/{id}", new { name = "Acme Ltd", email = "hello@acme.example", phone = "+1 555", source = "web" }));
        await OkAsync(A.PutAsJsonAsync($"/api/customers/{id}", new { name = "Acme Ltd", email = "hello@acme.example", phone = "+1 555", source = "web" }));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{id}/status", new { status = "inactive" }));
        await OkAsync(A.PutAsJsonAsync($"/api/customers/{id}/assignee", new { assigneeId = member.Id }));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{id}/tags", new { tags = new[] { "VIP", "vip" } }));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{id}/tags", new { tags = new[] { "vip" } }));
        await OkAsync(A.DeleteAsync($"/api/customers/{id}/tags/vip"));
        await OkAsync(A.PostAsJsonAsync($"/api/customers/{id}/purchases", new { amount = 120.5m, on = "2026-11-01" }));

        var timeline = await ItemsAsync(A, $"/api/customers/{id}/activities");

        Assert.Equal(["purchaseRecorded", "untagged", "tagged", "assigned", "statusChanged", "updated", "created"], Actions(timeline));
        var updated = timeline[5];
        Assert.Equal(["name", "phone"], updated.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("Customer Acme Ltd updated: name, phone", updated.GetProperty("summary").GetString());
        var status = timeline[4];
        Assert.Equal(("Active", "Inactive"), (status.GetProperty("fromValue").GetString(), status.GetProperty("toValue").GetString()));
        Assert.Equal(member.Id.ToString(), timeline[3].GetProperty("toValue").GetString());
        foreach (var entry in timeline.EnumerateArray())
        {
            Assert.Equal($"client:{TenantA.ClientId}", entry.GetProperty("actor").GetString());
            Assert.Equal(TenantA.ClientId, entry.GetProperty("actorName").GetString());
            Assert.Equal("customer", entry.GetProperty("recordType").GetString());
            Assert.Equal(id, entry.GetProperty("recordId").GetString());
        }
        var times = timeline.EnumerateArray().Select(a => a.GetProperty("occurredAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Fact]
    public async Task A_refused_change_and_a_rolled_back_conversion_leave_no_entry()
    {
        var customer = await CreateCustomerAsync(A, new { name = "Acme", source = "web" });
        var id = customer.GetProperty("id").GetString();
        using (var illegal = await A.PostAsJsonAsync($"/api/customers/{id}/status", new { status = "active" }))
            await AssertProblemAsync(illegal, HttpStatusCode.Conflict, "customer-status-unchanged");
        using (var stale = await A.SendAsync(Request(HttpMethod.Put, $"/api/customers/{id}", new { name = "Stale", source = "web" }, "\"7\"")))
            await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal(["created"], Actions(await ItemsAsync(A, $"/api/customers/{id}/activities")));

        // The conversion creates a customer and a contact, then fails on the contact's email at the save: all rolled back.
        await CreateContactAsync(A, new { firstName = "Taken", lastName = "Email", email = "ada@engine.example" });
        using var created = await A.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example" });
        var lead = (await Json(created)).GetProperty("id").GetString();
        using (var clash = await A.PostAsJsonAsync($"/api/leads/{lead}/convert", new { }))
            await AssertProblemAsync(clash, HttpStatusCode.Conflict, "contact-email-taken");
        Assert.Equal(["created"], Actions(await ItemsAsync(A, $"/api/leads/{lead}/activities")));
        Assert.Equal(0, (await ItemsAsync(A, "/api/activities?action=converted")).GetArrayLength());
        Assert.Equal(3, (await Json(await A.GetAsync("/api/activities"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_conversion_is_one_entry_on_the_lead_and_a_new_customer_and_contact_start_with_created_alone()
    {
        using var created = await A.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "Lovelace", email = "ada@engine.example", tags = new[] { "vip" } });
        var lead = (await Json(created)).GetProperty("id").GetString();
        using var converted = await A.PostAsJsonAsync($"/api/leads/{lead}/convert", new { });
        var customer = (await Json(converted)).GetProperty("convertedCustomerId").GetString();

        Assert.Equal(["converted", "created"], Actions(await ItemsAsync(A, $"/api/leads/{lead}/activities")));
        Assert.Equal(["created"], Actions(await ItemsAsync(A, $"/api/customers/{customer}/activities")));
        var contact = await ItemsAsync(A, "/api/activities?recordType=contact");
        Assert.Equal(["created"], Actions(contact));
        Assert.Equal("Contact Ada Lovelace created", contact[0].GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Deleting_a_record_keeps_its_entries_and_adds_its_deletion()
    {
        var contact = await CreateContactAsync(A, new { firstName = "Grace", lastName = "Hopper" });
        var id = contact.GetProperty("id").GetString();
        await OkAsync(A.DeleteAsync($"/api/contacts/{id}"));

        using (var gone = await A.GetAsync($"/api/contacts/{id}/activities"))
            await AssertProblemAsync(gone, HttpStatusCode.NotFound, "not-found");
        var kept = await ItemsAsync(A, $"/api/activities?recordId={id}");
        Assert.Equal(["deleted", "created"], Actions(kept));
        Assert.Equal("Contact Grace Hopper deleted", kept[0].GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Another_tenant_gets_404_for_a_timeline_and_never_sees_an_entry()
    {
        var customer = await CreateCustomerAsync(A, new { name = "Acme", source = "web" });
        var id = customer.GetProperty("id").GetString();
        using var lead = await A.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "Lovelace" });
        var leadId = (await Json(lead)).GetProperty("id").GetString();

        foreach (var url in new[] { $"/api/customers/{id}/activities", $"/api/leads/{leadId}/activities" })
        {
            using var foreign = await B.GetAsync(url);
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "not-found");
        }
        Assert.Equal(0, (await ItemsAsync(B, "/api/activities")).GetArrayLength());
        Assert.Equal(0, (await ItemsAsync(B, $"/api/activities?recordId={id}")).GetArrayLength());
        Assert.Equal(2, (await ItemsAsync(A, "/api/activities")).GetArrayLength());
    }

    [Fact]
    public async Task Under_owner_only_a_member_sees_the_entries_of_the_records_they_may_see_and_earlier_ones_once_assigned()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (m1, asM1) = await UserAsync(TenantA, "m1@a.example");
        var (m2, asM2) = await UserAsync(TenantA, "m2@a.example");
        var customer = await CreateCustomerAsync(asM1, new { name = "Owned by one", source = "web" });
        var id = customer.GetProperty("id").GetString();
        await OkAsync(asM1.PostAsJsonAsync($"/api/customers/{id}/status", new { status = "inactive" }));
        await OkAsync(admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }));

        var mine = await ItemsAsync(asM1, "/api/activities");
        Assert.Equal(["statusChanged", "created"], Actions(mine));
        Assert.Equal($"user:{m1.Id}", mine[0].GetProperty("actor").GetString());
        Assert.Equal("m1", mine[0].GetProperty("actorName").GetString());
        Assert.Equal(0, (await ItemsAsync(asM2, "/api/activities")).GetArrayLength());
        Assert.Equal(0, (await ItemsAsync(asM2, $"/api/activities?recordId={id}")).GetArrayLength());
        using (var hidden = await asM2.GetAsync($"/api/customers/{id}/activities"))
            await AssertProblemAsync(hidden, HttpStatusCode.NotFound, "not-found");

        await OkAsync(admin.PutAsJsonAsync($"/api/customers/{id}/assignee", new { assigneeId = m2.Id }));
        Assert.Equal(["assigned", "statusChanged", "created"], Actions(await ItemsAsync(asM2, $"/api/customers/{id}/activities")));
        Assert.Equal(3, (await ItemsAsync(asM1, "/api/activities")).GetArrayLength());
        admin.Dispose();
        asM1.Dispose();
        asM2.Dispose();
    }

    [Fact]
    public async Task A_users_entries_name_the_user_and_the_list_filters_by_actor_action_type_and_time()
    {
        var (user, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var byUser = await CreateCustomerAsync(admin, new { name = "By a person", source = "web" });
        await CreateCustomerAsync(A, new { name = "By the integration", source = "web" });
        using (await A.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "Lovelace" })) { }

        var theirs = await ItemsAsync(A, $"/api/activities?actor=user:{user.Id}");
        Assert.Equal(byUser.GetProperty("id").GetString(), Assert.Single(theirs.EnumerateArray()).GetProperty("recordId").GetString());
        Assert.False(string.IsNullOrEmpty(theirs[0].GetProperty("actorName").GetString()));
        Assert.NotEqual(theirs[0].GetProperty("actor").GetString(), theirs[0].GetProperty("actorName").GetString());
        Assert.Equal(2, (await ItemsAsync(A, "/api/activities?recordType=customer&action=created")).GetArrayLength());
        Assert.Single((await ItemsAsync(A, "/api/activities?recordType=lead")).EnumerateArray());
        Assert.Equal(3, (await ItemsAsync(A, $"/api/activities?from={Uri.EscapeDataString(before.ToString("O"))}")).GetArrayLength());
        Assert.Equal(0, (await ItemsAsync(A, $"/api/activities?to={Uri.EscapeDataString(before.ToString("O"))}")).GetArrayLength());
        var paged = await Json(await A.GetAsync("/api/activities?pageSize=2&page=2"));
        Assert.Equal(3, paged.GetProperty("totalCount").GetInt32());
        Assert.Single(paged.GetProperty("items").EnumerateArray());
        admin.Dispose();
    }

    [Fact]
    public async Task A_time_with_another_offset_than_utc_is_the_same_instant()
    {
        await CreateCustomerAsync(A, new { name = "Acme", source = "web" });
        var hourAgo = DateTimeOffset.UtcNow.AddHours(-1).ToOffset(TimeSpan.FromHours(-5));
        var inAnHour = DateTimeOffset.UtcNow.AddHours(1).ToOffset(TimeSpan.FromHours(9));

        Assert.Equal(1, (await ItemsAsync(A, $"/api/activities?from={Uri.EscapeDataString(hourAgo.ToString("O"))}&to={Uri.EscapeDataString(inAnHour.ToString("O"))}")).GetArrayLength());
        Assert.Equal(0, (await ItemsAsync(A, $"/api/activities?from={Uri.EscapeDataString(inAnHour.ToString("O"))}")).GetArrayLength());
        using var dashboard = await A.GetAsync($"/api/analytics/dashboard?from={Uri.EscapeDataString(hourAgo.ToString("O"))}");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Theory]
    [InlineData("/api/activities?recordId=not-a-guid", "recordId")]
    [InlineData("/api/activities?from=yesterday", "from")]
    [InlineData("/api/activities?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("/api/activities?pageSize=1000", "pageSize")]
    public async Task A_list_outside_the_contract_is_a_400_naming_the_parameter(string url, string field)
    {
        using var response = await A.GetAsync(url);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
    }
}
