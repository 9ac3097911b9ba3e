using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Sharing;

/// <summary>
/// Per-record sharing under owner-only visibility: a shared customer, contact or lead is read by every member (lists,
/// search, timeline, dashboard) and changed only by its owner, assignee or an administrator.
/// </summary>
public sealed class SharingTests(ApiFactory factory) : ApiTest(factory)
{
    private static async Task OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<(HttpClient Admin, HttpClient M1, HttpClient M2)> OwnerOnlyTeamAsync()
    {
        var (_, admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        var (_, m1) = await UserAsync(TenantA, "m1@a.example");
        var (_, m2) = await UserAsync(TenantA, "m2@a.example");
        await OkAsync(admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }));
        return (admin, m1, m2);
    }

    [Fact]
    public async Task A_shared_customer_is_read_by_every_member_everywhere_and_changed_only_by_its_owner_or_an_admin()
    {
        var (admin, m1, m2) = await OwnerOnlyTeamAsync();
        var id = (await CreateCustomerAsync(m1, new { name = "Shared Widgets", source = "web" })).GetProperty("id").GetString();
        await OkAsync(m1.PostAsJsonAsync($"/api/customers/{id}/status", new { status = "inactive" }));
        using (var hidden = await m2.GetAsync($"/api/customers/{id}"))
            await AssertProblemAsync(hidden, HttpStatusCode.NotFound, "not-found");

        using (var shared = await m1.PutAsJsonAsync($"/api/customers/{id}/sharing", new { shared = true }))
            Assert.True((await Json(shared)).GetProperty("shared").GetBoolean());

        using (var read = await m2.GetAsync($"/api/customers/{id}"))
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains(id, Ids(await Json(await m2.GetAsync("/api/customers"))));
        Assert.Contains(id, Ids(await Json(await m2.GetAsync("/api/customers?search=widgets"))));
        var timeline = (await Json(await m2.GetAsync($"/api/customers/{id}/activities"))).GetProperty("items");
        Assert.Equal(["shared", "statusChanged", "created"], timeline.EnumerateArray().Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(1, (await Json(await m2.GetAsync("/api/analytics/dashboard"))).GetProperty("customers").GetProperty("total").GetInt32());

        using (var change = await m2.PutAsJsonAsync($"/api/customers/{id}", new { name = "Taken over", source = "web" }))
            await AssertProblemAsync(change, HttpStatusCode.Forbidden, "forbidden");
        using (var unshare = await m2.PutAsJsonAsync($"/api/customers/{id}/sharing", new { shared = false }))
            await AssertProblemAsync(unshare, HttpStatusCode.Forbidden, "forbidden");
        using (var delete = await m2.DeleteAsync($"/api/customers/{id}"))
            await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("Shared Widgets", (await Json(await m1.GetAsync($"/api/customers/{id}"))).GetProperty("name").GetString());

        await OkAsync(admin.PutAsJsonAsync($"/api/customers/{id}/sharing", new { shared = false }));
        using (var again = await m2.GetAsync($"/api/customers/{id}"))
            await AssertProblemAsync(again, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0, (await Json(await m2.GetAsync($"/api/activities?recordId={id}"))).GetProperty("totalCount").GetInt32());
        admin.Dispose();
        m1.Dispose();
        m2.Dispose();
    }

    [Fact]
    public async Task A_shared_lead_and_contact_are_read_not_worked_by_another_member()
    {
        var (admin, m1, m2) = await OwnerOnlyTeamAsync();
        using var created = await m1.PostAsJsonAsync("/api/leads", new { firstName = "Ada", lastName = "Lovelace" });
        var lead = (await Json(created)).GetProperty("id").GetString();
        var contact = (await CreateContactAsync(m1, new { firstName = "Grace", lastName = "Hopper" })).GetProperty("id").GetString();
        await OkAsync(m1.PutAsJsonAsync($"/api/leads/{lead}/sharing", new { shared = true }));
        await OkAsync(m1.PutAsJsonAsync($"/api/contacts/{contact}/sharing", new { shared = true }));

        Assert.Contains(lead, Ids(await Json(await m2.GetAsync("/api/leads"))));
        Assert.Contains(contact, Ids(await Json(await m2.GetAsync("/api/contacts"))));
        using (var convert = await m2.PostAsJsonAsync($"/api/leads/{lead}/convert", new { }))
            await AssertProblemAsync(convert, HttpStatusCode.Forbidden, "forbidden");
        using (var move = await m2.PostAsJsonAsync($"/api/leads/{lead}/status", new { status = "engaged" }))
            await AssertProblemAsync(move, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("new", (await Json(await m1.GetAsync($"/api/leads/{lead}"))).GetProperty("status").GetString());
        admin.Dispose();
        m1.Dispose();
        m2.Dispose();
    }

    [Fact]
    public async Task A_member_links_a_contact_to_a_shared_customer_but_never_changes_the_shared_primary_contact()
    {
        var (admin, m1, m2) = await OwnerOnlyTeamAsync();
        var customer = (await CreateCustomerAsync(m2, new { name = "Shared account", source = "web" })).GetProperty("id").GetString();
        var theirs = (await CreateContactAsync(m2, new { firstName = "Their", lastName = "Primary", customerId = customer })).GetProperty("id").GetString();
        await OkAsync(m2.PostAsync($"/api/contacts/{theirs}/primary", null));
        await OkAsync(m2.PutAsJsonAsync($"/api/customers/{customer}/sharing", new { shared = true }));
        await OkAsync(m2.PutAsJsonAsync($"/api/contacts/{theirs}/sharing", new { shared = true }));
        var before = await Json(await m2.GetAsync($"/api/contacts/{theirs}"));

        var mine = (await CreateContactAsync(m1, new { firstName = "My", lastName = "Contact", customerId = customer })).GetProperty("id").GetString();
        using (var update = await m1.PutAsJsonAsync($"/api/contacts/{mine}", new { firstName = "My", lastName = "Renamed", customerId = customer, type = "client" }))
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        using (var primary = await m1.PostAsync($"/api/contacts/{mine}/primary", null))
            await AssertProblemAsync(primary, HttpStatusCode.Conflict);
        using (var deleteShared = await m1.DeleteAsync($"/api/customers/{customer}"))
            await AssertProblemAsync(deleteShared, HttpStatusCode.Forbidden, "forbidden");

        var after = await Json(await m2.GetAsync($"/api/contacts/{theirs}"));
        Assert.True(after.GetProperty("isPrimary").GetBoolean());
        Assert.Equal(before.GetProperty("version").GetInt32(), after.GetProperty("version").GetInt32());
        admin.Dispose();
        m1.Dispose();
        m2.Dispose();
    }

    [Fact]
    public async Task Another_tenant_gets_404_and_bad_bodies_are_400s_that_change_nothing()
    {
        var id = (await CreateCustomerAsync(A, new { name = "Acme", source = "web" })).GetProperty("id").GetString();
        using (var foreign = await B.PutAsJsonAsync($"/api/customers/{id}/sharing", new { shared = true }))
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound, "not-found");
        using (var missing = await A.PutAsync($"/api/customers/{id}/sharing", RawJson("{}")))
            await AssertProblemAsync(missing, HttpStatusCode.BadRequest, field: "shared");
        using (var wrongType = await A.PutAsync($"/api/customers/{id}/sharing", RawJson("{\"shared\":\"yes\"}")))
            await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest, field: "shared");
        var customer = await Json(await A.GetAsync($"/api/customers/{id}"));
        Assert.False(customer.GetProperty("shared").GetBoolean());
        Assert.Equal(1, customer.GetProperty("version").GetInt32());
    }
}
