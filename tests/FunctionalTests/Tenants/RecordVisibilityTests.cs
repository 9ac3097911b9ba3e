using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.Domain.Users;
using CrmTenancy.FunctionalTests.Infrastructure;
using CrmTenancy.TestSupport;

namespace CrmTenancy.FunctionalTests.Tenants;

/// <summary>
/// Record ownership: in an owner-only tenant a member sees only the customers and contacts they own or are assigned;
/// administrators and integration clients see everything; a shared tenant shares everything.
/// </summary>
public sealed class RecordVisibilityTests(ApiFactory factory) : ApiTest(factory)
{
    private const string CustomerName = "Zanzibar Owl Traders";

    private HttpClient _admin = null!;
    private TestUser _m1 = null!;
    private HttpClient _asM1 = null!;
    private TestUser _m2 = null!;
    private HttpClient _asM2 = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        (_, _admin) = await UserAsync(TenantA, "admin@a.example", UserRole.TenantAdmin);
        (_m1, _asM1) = await UserAsync(TenantA, "m1@a.example");
        (_m2, _asM2) = await UserAsync(TenantA, "m2@a.example");
    }

    public override async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        _asM1.Dispose();
        _asM2.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Owner_only_hides_a_members_records_from_other_members_until_assigned_or_shared_again()
    {
        var customer = await CreateCustomerAsync(_asM1, new { name = CustomerName, email = "owl@zanzibar.example", tags = new[] { "owls" } });
        var customerId = customer.GetProperty("id").GetString()!;
        Assert.Equal(_m1.Id, customer.GetProperty("ownerId").GetGuid());
        var contact = await CreateContactAsync(_asM1, new { firstName = "Hedwig", lastName = "Zanzibar", customerId });
        var contactId = contact.GetProperty("id").GetString()!;
        Assert.Equal(_m1.Id, contact.GetProperty("ownerId").GetGuid());

        // Shared (the default): M2 sees both.
        Assert.Equal("shared", (await Json(await _asM2.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());
        await AssertSeesAsync(_asM2, customerId, contactId, customer: true, contact: true);

        await SetVisibilityAsync("ownerOnly");

        // M2 finds nothing of M1's, exactly as if it did not exist.
        await AssertSeesAsync(_asM2, customerId, contactId, customer: false, contact: false);
        var missing = await Json(await _asM2.GetAsync($"/api/customers/{Guid.CreateVersion7()}"));
        var writes = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Put, $"/api/customers/{customerId}", new { name = "Taken over", source = "web" }),
            (HttpMethod.Post, $"/api/customers/{customerId}/status", new { status = "inactive" }),
            (HttpMethod.Post, $"/api/customers/{customerId}/tags", new { tags = new[] { "stolen" } }),
            (HttpMethod.Delete, $"/api/customers/{customerId}/tags/owls", null),
            (HttpMethod.Post, $"/api/customers/{customerId}/purchases", new { amount = 10m }),
            (HttpMethod.Put, $"/api/customers/{customerId}/assignee", new { assigneeId = _m2.Id }),
            (HttpMethod.Put, $"/api/contacts/{contactId}", new { firstName = "Taken", lastName = "Over", type = "other" }),
            (HttpMethod.Post, $"/api/contacts/{contactId}/primary", null),
            (HttpMethod.Delete, $"/api/contacts/{contactId}", null),
            (HttpMethod.Delete, $"/api/customers/{customerId}", null),
        };
        foreach (var (method, url, body) in writes)
        {
            using var response = await _asM2.SendAsync(Request(method, url, body));
            var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
            if (url.StartsWith("/api/customers", StringComparison.Ordinal))
                Assert.Equal(missing.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        }
        // Nor can M2 link a contact of its own to M1's customer.
        using (var link = await _asM2.PostAsJsonAsync("/api/contacts", new { firstName = "Sneaky", lastName = "Link", customerId }))
            await AssertProblemAsync(link, HttpStatusCode.NotFound, "not-found");

        // Nothing changed; M1 and the admin see both; M1 does not see M2's own records either.
        var asOwner = await Json(await _asM1.GetAsync($"/api/customers/{customerId}"));
        Assert.Equal(customer.GetProperty("version").GetInt32(), asOwner.GetProperty("version").GetInt32());
        Assert.Equal(CustomerName, asOwner.GetProperty("name").GetString());
        await AssertSeesAsync(_asM1, customerId, contactId, customer: true, contact: true);
        await AssertSeesAsync(_admin, customerId, contactId, customer: true, contact: true);
        var ownOfM2 = (await CreateCustomerAsync(_asM2, new { name = "Zanzibar Second Shop" })).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await _asM1.GetAsync($"/api/customers/{ownOfM2}")).StatusCode);
        Assert.Equal([ownOfM2], Ids(await Json(await _asM2.GetAsync("/api/customers?search=zanzibar"))));

        // Assigned to M2 by the admin, the customer becomes visible (and changeable) to M2; the contact stays M1's.
        using (var assign = await _admin.PutAsJsonAsync($"/api/customers/{customerId}/assignee", new { assigneeId = _m2.Id }))
            Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        await AssertSeesAsync(_asM2, customerId, contactId, customer: true, contact: false);
        using (var tag = await _asM2.PostAsJsonAsync($"/api/customers/{customerId}/tags", new { tags = new[] { "followed-up" } }))
            Assert.Equal(HttpStatusCode.OK, tag.StatusCode);

        // Back to shared: everything is visible again.
        await SetVisibilityAsync("shared");
        await AssertSeesAsync(_asM2, customerId, contactId, customer: true, contact: true);
        Assert.Equal(HttpStatusCode.OK, (await _asM1.GetAsync($"/api/customers/{ownOfM2}")).StatusCode);
    }

    [Fact]
    public async Task Integration_clients_and_admins_see_every_record_in_an_owner_only_tenant()
    {
        var customerId = (await CreateCustomerAsync(_asM1, new { name = CustomerName, tags = new[] { "owls" } })).GetProperty("id").GetString()!;
        var contactId = (await CreateContactAsync(_asM1, new { firstName = "Hedwig", lastName = "Zanzibar", customerId })).GetProperty("id").GetString()!;
        var byClient = (await CreateCustomerAsync(A, new { name = "Zanzibar Imported" })).GetProperty("id").GetString()!;
        await SetVisibilityAsync("ownerOnly");

        await AssertSeesAsync(A, customerId, contactId, customer: true, contact: true);
        await AssertSeesAsync(_admin, customerId, contactId, customer: true, contact: true);
        Assert.Equal(2, (await Json(await A.GetAsync("/api/customers?search=zanzibar"))).GetProperty("totalCount").GetInt32());
        // A record without an owner (made by an integration) is no member's.
        Assert.Equal(HttpStatusCode.NotFound, (await _asM1.GetAsync($"/api/customers/{byClient}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _asM2.GetAsync($"/api/customers/{byClient}")).StatusCode);
        // Tenant B's client never sees A's, whatever A's setting.
        Assert.Equal(HttpStatusCode.NotFound, (await B.GetAsync($"/api/customers/{customerId}")).StatusCode);
        Assert.Equal(0, (await Json(await B.GetAsync("/api/customers?search=zanzibar"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Only_an_admin_changes_the_setting_and_bad_values_get_400()
    {
        using (var byMember = await _asM1.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
            await AssertProblemAsync(byMember, HttpStatusCode.Forbidden);
        using (var byClient = await A.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }))
            await AssertProblemAsync(byClient, HttpStatusCode.Forbidden);

        foreach (var (body, field) in new[]
                 {
                     ("""{"recordVisibility":"secret"}""", "recordVisibility"),
                     ("""{"recordVisibility":1}""", "recordVisibility"),
                     ("""{"recordVisibility":null}""", "recordVisibility"),
                     ("""{"recordVisibility":"ownerOnly","tenantId":"00000000-0000-0000-0000-000000000001"}""", "tenantId"),
                     ("""{"recordVisibility":""", "recordVisibility"),
                     ("""not json""", "body"),
                 })
        {
            using var response = await _admin.PutAsync("/api/tenant/settings/record-visibility", RawJson(body));
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, field: field);
        }
        var settings = await Json(await _admin.GetAsync("/api/tenant/settings"));
        Assert.Equal("shared", settings.GetProperty("recordVisibility").GetString());
        Assert.Equal(TenantA.Id, settings.GetProperty("id").GetGuid());

        // An admin's change answers with the new settings and a new ETag; a stale If-Match gets 412.
        using var read = await _admin.GetAsync("/api/tenant/settings");
        var etag = read.Headers.ETag!.Tag;
        using (var changed = await _admin.SendAsync(Request(HttpMethod.Put, "/api/tenant/settings/record-visibility", new { recordVisibility = "ownerOnly" }, etag)))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            Assert.Equal("ownerOnly", (await Json(changed)).GetProperty("recordVisibility").GetString());
            Assert.NotEqual(etag, changed.Headers.ETag!.Tag);
        }
        using (var stale = await _admin.SendAsync(Request(HttpMethod.Put, "/api/tenant/settings/record-visibility", new { recordVisibility = "shared" }, etag)))
            await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "stale-etag");
        Assert.Equal("ownerOnly", (await Json(await _asM1.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());
        // Tenant B's setting is its own.
        Assert.Equal("shared", (await Json(await B.GetAsync("/api/tenant/settings"))).GetProperty("recordVisibility").GetString());
    }

    private async Task SetVisibilityAsync(string value)
    {
        using var response = await _admin.PutAsJsonAsync("/api/tenant/settings/record-visibility", new { recordVisibility = value });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(value, (await Json(response)).GetProperty("recordVisibility").GetString());
    }

    /// <summary>Whether the caller finds M1's customer and contact by id, in the plain lists, in search and by filter.</summary>
    private static async Task AssertSeesAsync(HttpClient caller, string customerId, string contactId, bool customer, bool contact)
    {
        Assert.Equal(customer ? HttpStatusCode.OK : HttpStatusCode.NotFound, (await caller.GetAsync($"/api/customers/{customerId}")).StatusCode);
        Assert.Equal(contact ? HttpStatusCode.OK : HttpStatusCode.NotFound, (await caller.GetAsync($"/api/contacts/{contactId}")).StatusCode);
        foreach (var url in new[] { "/api/customers", "/api/customers?search=Zanzibar%20Owl", "/api/customers?tag=owls" })
            Assert.Equal(customer, (await ListTextAsync(caller, url)).Contains(customerId, StringComparison.Ordinal));
        foreach (var url in new[] { "/api/contacts", "/api/contacts?search=hedwig", $"/api/contacts?customerId={customerId}" })
            Assert.Equal(contact, (await ListTextAsync(caller, url)).Contains(contactId, StringComparison.Ordinal));
    }

    private static async Task<string> ListTextAsync(HttpClient caller, string url)
    {
        using var response = await caller.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
