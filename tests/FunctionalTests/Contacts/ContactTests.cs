using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmTenancy.FunctionalTests.Infrastructure;

namespace CrmTenancy.FunctionalTests.Contacts;

public sealed class ContactTests(ApiFactory factory) : ApiTest(factory)
{
    [Fact]
    public async Task Create_links_to_a_customer_and_get_returns_it()
    {
        var customer = await CreateCustomerAsync(A, new { name = "Hooli" });
        var contact = await CreateContactAsync(A, new
        {
            firstName = "Gavin", lastName = "Belson", email = "Gavin@Hooli.example", title = "CEO", type = "client",
            customerId = customer.GetProperty("id").GetString(),
        });

        using var response = await A.GetAsync($"/api/contacts/{contact.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var body = await Json(response);
        Assert.Equal(customer.GetProperty("id").GetGuid(), body.GetProperty("customerId").GetGuid());
        Assert.Equal("client", body.GetProperty("type").GetString());
        Assert.Equal("Gavin@Hooli.example", body.GetProperty("email").GetString());
        Assert.Equal(1, (await Json(await A.GetAsync($"/api/customers/{customer.GetProperty("id").GetString()}"))).GetProperty("contactCount").GetInt32());
    }

    [Fact]
    public async Task Email_is_unique_per_tenant_case_insensitively_but_may_repeat_in_another_tenant()
    {
        await CreateContactAsync(A, new { firstName = "Jin", lastName = "Yang", email = "jin@example.com" });

        using var duplicate = await A.PostAsJsonAsync("/api/contacts", new { firstName = "Other", lastName = "Jin", email = "JIN@EXAMPLE.COM" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.EndsWith("contact-email-taken", (await Json(duplicate)).GetProperty("type").GetString());

        await CreateContactAsync(B, new { firstName = "Jin", lastName = "Yang", email = "jin@example.com" });
        Assert.Equal(1, (await Json(await A.GetAsync("/api/contacts"))).GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Update_can_move_the_contact_and_refuses_another_contacts_email()
    {
        var first = await CreateCustomerAsync(A, new { name = "First" });
        var second = await CreateCustomerAsync(A, new { name = "Second" });
        await CreateContactAsync(A, new { firstName = "Taken", lastName = "Email", email = "taken@example.com" });
        var contact = await CreateContactAsync(A, new { firstName = "Moving", lastName = "Person", customerId = first.GetProperty("id").GetString() });
        var id = contact.GetProperty("id").GetString();

        using var moved = await A.SendAsync(Request(HttpMethod.Put, $"/api/contacts/{id}",
            new { firstName = "Moving", lastName = "Person", type = "partner", customerId = second.GetProperty("id").GetString() },
            $"\"{contact.GetProperty("version").GetInt32()}\""));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(second.GetProperty("id").GetGuid(), (await Json(moved)).GetProperty("customerId").GetGuid());

        using var clash = await A.PutAsJsonAsync($"/api/contacts/{id}", new { firstName = "Moving", lastName = "Person", type = "partner", email = "TAKEN@example.com" });
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await Json(await A.GetAsync($"/api/contacts/{id}"))).GetProperty("email").ValueKind);
    }

    [Fact]
    public async Task Set_primary_keeps_one_primary_contact_per_customer()
    {
        var customer = (await CreateCustomerAsync(A, new { name = "Pied Piper" })).GetProperty("id").GetString();
        var richard = (await CreateContactAsync(A, new { firstName = "Richard", lastName = "H", customerId = customer })).GetProperty("id").GetString();
        var jared = (await CreateContactAsync(A, new { firstName = "Jared", lastName = "D", customerId = customer })).GetProperty("id").GetString();

        using var first = await A.PostAsync($"/api/contacts/{richard}/primary", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await A.PostAsync($"/api/contacts/{jared}/primary", null);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        Assert.False((await Json(await A.GetAsync($"/api/contacts/{richard}"))).GetProperty("isPrimary").GetBoolean());
        Assert.True((await Json(await A.GetAsync($"/api/contacts/{jared}"))).GetProperty("isPrimary").GetBoolean());
    }

    [Fact]
    public async Task Set_primary_on_an_unlinked_contact_is_refused()
    {
        var loner = (await CreateContactAsync(A, new { firstName = "Lone", lastName = "Wolf" })).GetProperty("id").GetString();
        using var response = await A.PostAsync($"/api/contacts/{loner}/primary", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.EndsWith("primary-contact-needs-customer", (await Json(response)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task List_searches_names_email_and_company_and_filters_by_customer()
    {
        var customer = (await CreateCustomerAsync(A, new { name = "Massive Dynamic" })).GetProperty("id").GetString();
        await CreateContactAsync(A, new { firstName = "Nina", lastName = "Sharp", company = "Massive Dynamic", customerId = customer });
        await CreateContactAsync(A, new { firstName = "Walter", lastName = "Bishop", email = "walter@harvard.example" });

        Assert.Equal(["Sharp"], LastNames(await Json(await A.GetAsync("/api/contacts?search=massive"))));
        Assert.Equal(["Bishop"], LastNames(await Json(await A.GetAsync("/api/contacts?search=HARVARD"))));
        Assert.Equal(["Sharp"], LastNames(await Json(await A.GetAsync($"/api/contacts?customerId={customer}"))));
        Assert.Equal(["Bishop", "Sharp"], LastNames(await Json(await A.GetAsync("/api/contacts"))));
    }

    [Fact]
    public async Task Delete_removes_the_contact()
    {
        var id = (await CreateContactAsync(A, new { firstName = "Gone", lastName = "Soon" })).GetProperty("id").GetString();
        using var deleted = await A.DeleteAsync($"/api/contacts/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var again = await A.GetAsync($"/api/contacts/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    private static List<string?> LastNames(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("lastName").GetString()).ToList();
}
